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
from django.urls import Resolver404, resolve
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


# Where a view keeps the size of the largest post it takes (``accepts_uploads``).
UPLOAD_LIMIT_ATTR = "_max_request_bytes"


def accepts_uploads(limit: Callable[[], int]) -> Callable[[Any], Any]:
    """Let posts to a view that takes files be as large as ``limit()`` bytes (read on each
    request, so that settings apply)::

        @accepts_uploads(lambda: 3 * photo_max_bytes() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        def report(request): ...

    Every other view keeps ``DATA_UPLOAD_MAX_MEMORY_SIZE``. The attribute survives the
    decorators put around it (``functools.wraps`` copies it)."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        setattr(view, UPLOAD_LIMIT_ATTR, limit)
        return view

    return decorator


def request_limit(request: HttpRequest) -> int:
    """The largest post this request's address takes: the form limit, more for a view
    that declared uploads, and ``RECLAIM["STAFF_UPLOAD_MAX_BYTES"]`` in the admin (whose
    forms take images and documents; its views need a staff login first)."""
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if request.path_info.startswith(admin_prefixes()):
        return max(limit, int(settings.RECLAIM["STAFF_UPLOAD_MAX_BYTES"]))
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return limit
    declared = getattr(match.func, UPLOAD_LIMIT_ATTR, None)
    return max(limit, int(declared())) if declared is not None else limit


class RequestLimitsMiddleware:
    """Refuse an oversized post before anything parses it, with a page that says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # The address is resolved only for a post larger than any form: never on the
        # signing path.
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and length > request_limit(request):
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
