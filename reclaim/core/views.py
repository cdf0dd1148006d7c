from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reclaim.core.hooks import SECTIONS
from reclaim.core.models import FrontPage


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def front_page_text(language: str) -> FrontPage | None:
    """The organisers' words in this language, else in the site's default language."""
    texts = {text.language: text for text in FrontPage.objects.all()}
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE)


def _sections(request: HttpRequest) -> list[SafeString]:
    """Each app's front-page blocks (``navigation.SECTIONS``) that have something to show."""
    blocks = []
    for section in SECTIONS:
        context = section.context(request)
        if context is not None:
            # Rendered by Django's template engine, which escapes what it inserts.
            blocks.append(mark_safe(render_to_string(section.template, context, request)))  # noqa: S308
    return blocks


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front page: what the campaign is, its call to action, and a block per app."""
    return render(
        request,
        "core/home.html",
        {"intro": front_page_text(request.LANGUAGE_CODE), "sections": _sections(request)},
    )


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "errors/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        _("Something in that request was not right"),
        _("Please go back, check what you entered and try again."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("Not allowed"), _("You do not have access to this page."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("There is no page at this address. It may have moved, or the link may be incomplete."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong on our side"),
        _("Nothing you sent was lost if you saw a confirmation. Please try again in a minute."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("This form could not be sent"),
        _(
            "For your security, forms are only valid for a while and only from this site."
            " Please reload the page and send it again."
        ),
    )
