"""Request limits and the security headers every response carries.

The Content-Security-Policy comes from django-csp (``CONTENT_SECURITY_POLICY`` in settings);
``ContentSecurityPolicyMiddleware`` only relaxes it for the Django admin. Permissions-Policy
comes from ``SecurityHeadersMiddleware``: every powerful feature is denied unless a view
asks for one with ``permissions_policy_allow``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

# Features no page of ours uses: each is denied to the page and to anything it embeds.
# ``interest-cohort`` opts the site out of the browser's ad-interest grouping.
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort")
# The attribute a view's response carries to allow features for its own origin.
PERMISSIONS_ATTR = "_permissions_policy_allow"


def admin_prefixes() -> tuple[str, ...]:
    """The Django admin's address in every language, e.g. ``/en/admin/``."""
    return tuple(f"/{code}/admin/" for code, _name in settings.LANGUAGES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with inline script and style allowed in the admin only.

    The Django admin ships inline scripts and style attributes of its own that we cannot
    change; everywhere else the policy from settings applies unchanged.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(admin_prefixes()):
            update = dict(parts.update or {})
            for directive in ("script-src", "style-src"):
                update[directive] = [*update.get(directive, []), UNSAFE_INLINE]
            parts.update = update
        return parts


def permissions_policy_allow(*features: str) -> Callable[[Any], Any]:
    """Allow features to a view's page, for our own origin only::

        @permissions_policy_allow("geolocation")
        def report_camera(request): ...

    sends ``geolocation=(self)`` instead of ``geolocation=()``. Frames from other origins
    stay denied. No view needs one yet; a map that locates the visitor would.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(*args, **kwargs)
            setattr(response, PERMISSIONS_ATTR, frozenset(features))
            return response

        return wrapped

    return decorator


def permissions_policy(allowed: frozenset[str] = frozenset()) -> str:
    return ", ".join(
        f"{feature}=(self)" if feature in allowed else f"{feature}=()"
        for feature in DENIED_FEATURES
    )


class RequestLimitsMiddleware:
    """Refuse an oversized post before anything parses it, with a page that says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return render(
                request,
                "errors/error.html",
                {
                    "title": _("Too much data"),
                    "message": _(
                        "What you sent is larger than this form accepts."
                        " Please shorten it and try again."
                    ),
                },
                status=413,
            )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response (see ``permissions_policy_allow``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        allowed: frozenset[str] = getattr(response, PERMISSIONS_ATTR, frozenset())
        response.setdefault("Permissions-Policy", permissions_policy(allowed))
        return response
