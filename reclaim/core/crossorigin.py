"""Cross-site form posts refused by the headers browsers send, with no token and no cookie.

Django's CSRF protection needs a token in every form and a matching cookie, so every
reader of a page with a form (a petition, the data-request page) would get a cookie. A
public page must set none: the reader is not tracked, and the page is the same bytes for
everyone, so a proxy can cache it whole. Modern browsers say where a request comes from
(``Sec-Fetch-Site``) and older ones send ``Origin`` with every cross-origin post; checking
them is the approach of Go 1.25's ``http.CrossOriginProtection``:

* ``Sec-Fetch-Site: same-origin`` or ``none`` (typed or bookmarked) passes; any other
  value (``cross-site``, ``same-site``: a sibling subdomain is another site too) is refused;
* without it, an ``Origin`` must be this site's own origin (or one of
  ``CSRF_TRUSTED_ORIGINS``);
* with neither, the request is not from a browser that could be tricked into sending it
  (or from one too old to say): it passes. A signature made that way still needs its emailed
  confirmation, and the throttles still count it.

Every unsafe request passes this check. Views that any visitor may post to are marked
``@public_form`` and skip Django's token; staff pages keep it as well (they have a session
cookie anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def public_form(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view whose form any visitor may send without a cookie: Django's CSRF token is not
    asked, and ``CrossOriginProtectionMiddleware`` refuses posts from other sites."""
    return csrf_exempt(view)


def posted_from_anywhere(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view that other sites may post to by design, whose request carries its own
    authority (a signed token in the address): the RFC 8058 one-click unsubscribe, which a
    mail provider or a webmail page posts. Neither the cross-origin check nor Django's token
    applies to it; use it for nothing a visitor could be tricked into."""
    view = csrf_exempt(view)
    view.posted_from_anywhere = True  # type: ignore[attr-defined]
    return view


def is_cross_origin(request: HttpRequest) -> bool:
    if request.method in SAFE_METHODS:
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in ALLOWED_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    origin = origin.strip().lower()
    if origin == f"{request.scheme}://{request.get_host()}".lower():
        return False
    return origin not in (trusted.lower() for trusted in settings.CSRF_TRUSTED_ORIGINS)


class CrossOriginProtectionMiddleware:
    """Refuse a post, put or delete that a browser sent from another site."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # Checked once the view is known, so that a view marked @posted_from_anywhere can
        # take posts from other sites; every other unsafe request is checked here.
        if getattr(view, "posted_from_anywhere", False):
            return None
        if is_cross_origin(request):
            return render(
                request,
                "errors/error.html",
                {
                    "title": _("This form was sent from another site"),
                    "message": _(
                        "Forms here are only accepted from this site's own pages, so that no"
                        " other site can send one in your name. Nothing was saved. Please"
                        " open the page on this site and send the form from there."
                    ),
                },
                status=403,
            )
        return None
