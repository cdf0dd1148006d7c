"""Data-subject requests: ask by address, then see, download or erase from the mailed link.

The link pages never change anything on GET (mail scanners follow links), except that
opening the list records when it was first opened. Erasure takes a POST from a second page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from reclaim.core.crossorigin import public_form
from reclaim.privacy import services
from reclaim.privacy.forms import AccessRequestForm
from reclaim.privacy.models import ACCESS_LINK_VALIDITY, DataRequest
from reclaim.privacy.registry import Found

LINK_HOURS = int(ACCESS_LINK_VALIDITY.total_seconds() // 3600)


@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    """What the site stores, why, for how long, and who answers for it."""
    config = settings.RECLAIM
    return render(
        request,
        "privacy/statement.html",
        {
            "controller_name": config["CONTROLLER_NAME"],
            "controller_address": config["CONTROLLER_ADDRESS"],
            "privacy_contact": config["PRIVACY_CONTACT"],
        },
    )


@public_form
@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = AccessRequestForm(request.POST)
        if form.is_valid():
            services.request_access(form.cleaned_data["email"], request.LANGUAGE_CODE)
            # The same page whether or not anything is stored under the address.
            return render(request, "privacy/sent.html", {"link_hours": LINK_HOURS})
        status = 400
    else:
        form = AccessRequestForm()
    return render(
        request, "privacy/request.html", {"form": form, "link_hours": LINK_HOURS}, status=status
    )


def _invalid(request: HttpRequest, exc: services.LinkInvalid) -> HttpResponse:
    return render(
        request,
        "privacy/link_invalid.html",
        {"expired": exc.expired, "link_hours": LINK_HOURS},
        status=410 if exc.expired else 404,
    )


def _sections(found: dict[str, Found]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "label": f.label,
            "note": f.note,
            "count": len(f.rows),
            "rows": f.shown,
        }
        for name, f in found.items()
    ]


def _context(data_request: DataRequest, token: str) -> dict[str, Any]:
    return {
        "data_request": data_request,
        "token": token,
        "sections": _sections(services.records(data_request)),
        "link_hours": LINK_HOURS,
    }


@never_cache
@require_GET
def records(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data_request = services.request_for_link(token)
    except services.LinkInvalid as exc:
        return _invalid(request, exc)
    services.mark_opened(data_request)
    return render(request, "privacy/records.html", _context(data_request, token))


@never_cache
@require_GET
def download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data_request = services.request_for_link(token)
    except services.LinkInvalid as exc:
        return _invalid(request, exc)
    response = JsonResponse(
        services.export(data_request), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, token: str) -> HttpResponse:
    """Step two of erasure: a page that lists what will go, and a button."""
    try:
        data_request = services.request_for_link(token)
    except services.LinkInvalid as exc:
        return _invalid(request, exc)
    if request.method == "POST":
        counts = services.erase(data_request)
        return render(
            request,
            "privacy/erased.html",
            {"token": token, "erased": sum(counts.values()), "link_hours": LINK_HOURS},
        )
    return render(request, "privacy/erase.html", _context(data_request, token))
