"""Members' widgets: our own page in an iframe on a partner's site.

The page is served from our origin, so the host page's scripts cannot read what a visitor
types into it. It sets no cookie (the signing form is a ``public_form``: no CSRF token, no
session), sends no referrer, and reads none: the widget's key in the path is the only thing
that says where a signature came from. The host sites it may be framed by are the widget's
``allowed_hosts`` (``frame-ancestors``), any site if none are listed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_GET, require_http_methods

from reclaim.coalition.access_widgets import WidgetUnavailable, get_embeddable_widget
from reclaim.coalition.models import Widget
from reclaim.coalition.services.widgets import frame_ancestors
from reclaim.core.crossorigin import public_form
from reclaim.eci.dashboard_cache import figures_context
from reclaim.eci.figures import stale_sources

# The petition page's own signing flow, so that the widget's form is the petition page's
# form: the same fields, checks, sealing in the browser, guard and refusals.
from reclaim.letters.views import attempt_signature, signing_context


def widget_language(widget: Widget | None, request: HttpRequest) -> str:
    """The widget's own language if the partner chose one; else the first of the visitor's
    browser languages that we offer; else the language of the address. Never a cookie."""
    if widget is not None and widget.language:
        return widget.language
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return request.LANGUAGE_CODE


def _embeddable(
    response: HttpResponseBase, request: HttpRequest, widget: Widget | None
) -> HttpResponseBase:
    """The headers that let the page be framed by the widget's sites, and by no other."""
    # django-csp reads this attribute (as csp_replace does), per response: the sites differ
    # per widget, so a decorator's fixed policy cannot say them.
    response._csp_replace = {"frame-ancestors": frame_ancestors(widget)}  # type: ignore[attr-defined]
    # The CSP's frame-ancestors governs framing; X-Frame-Options: DENY would override it.
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    # The site's Referrer-Policy (same-origin) applies: no partner's site or other origin
    # ever gets this page's address, and our own form posts keep a real Origin header
    # (with no-referrer, browsers send "Origin: null" and the cross-origin check would rest
    # on Sec-Fetch-Site alone, which older browsers do not send). The snippet's iframe
    # carries referrerpolicy="no-referrer", so the host page's address never reaches us.
    if widget is None or not widget.language:
        patch_vary_headers(response, ["Accept-Language"])
    return response


def _unavailable(request: HttpRequest, gone: WidgetUnavailable) -> HttpResponseBase:
    with translation.override(widget_language(gone.widget, request)):
        response = render(request, "coalition/widget_gone.html", {}, status=gone.status)
    return _embeddable(response, request, None)


@public_form
@require_http_methods(["GET", "POST"])
def widget(request: HttpRequest, key: str) -> HttpResponseBase:
    try:
        widget = get_embeddable_widget(key)
    except WidgetUnavailable as gone:
        return _unavailable(request, gone)
    if widget.target == Widget.Target.ECI and request.method == "POST":
        return _embeddable(HttpResponse(status=405, headers={"Allow": "GET"}), request, widget)
    language = widget_language(widget, request)
    with translation.override(language):
        if widget.target == Widget.Target.ECI:
            response = _initiative_page(request, widget)
        else:
            response = _petition_page(request, widget, language)
    if request.method == "GET" and response.status_code == 200:
        # The same bytes for every reader in a language, like the petition page: a proxy
        # may keep it a few seconds.
        max_age = settings.RECLAIM["PAGE_MAX_AGE"]
        response["Cache-Control"] = f"public, max-age={max_age}, stale-while-revalidate={max_age}"
    return _embeddable(response, request, widget)


def _initiative_page(request: HttpRequest, widget: Widget) -> HttpResponseBase:
    initiative = widget.initiative
    assert initiative is not None  # get_embeddable_widget
    context = figures_context(initiative) | {
        "widget": widget,
        "initiative": initiative,
        "stale": stale_sources(initiative),
    }
    return render(request, "coalition/widget_eci.html", context)


def _petition_page(request: HttpRequest, widget: Widget, language: str) -> HttpResponseBase:
    """The petition page's signing flow (reclaim.letters.views.detail), with the widget's
    key stored with the signature and the answer shown inside the frame."""
    petition = widget.petition
    assert petition is not None  # get_embeddable_widget
    attempt = attempt_signature(request, petition, language, widget_key=widget.key)
    if attempt.no_key:
        return render(request, "coalition/widget_not_ready.html", {"widget": widget}, status=503)
    if attempt.signed:
        return redirect("coalition:widget_thanks", key=widget.key)
    context = signing_context(petition, attempt) | {"widget": widget}
    response = render(request, "coalition/widget_petition.html", context, status=attempt.status)
    if attempt.refused:
        response["Retry-After"] = str(attempt.refused.retry_after)
    return response


@require_GET
def thanks(request: HttpRequest, key: str) -> HttpResponseBase:
    """ "Check your inbox", inside the frame."""
    try:
        widget = get_embeddable_widget(key)
    except WidgetUnavailable as gone:
        return _unavailable(request, gone)
    if widget.petition is None:
        return _unavailable(request, WidgetUnavailable(404, widget))
    context: dict[str, Any] = {"widget": widget, "petition": widget.petition}
    with translation.override(widget_language(widget, request)):
        response = render(request, "coalition/widget_thanks.html", context)
    return _embeddable(response, request, widget)
