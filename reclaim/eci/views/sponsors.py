"""The sponsor disclosure page: who gave the initiative support or funding, and how much."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reclaim.eci import sponsors as sponsor_list
from reclaim.eci.access import get_public_initiative
from reclaim.eci.deadlines import number


def _is_organiser(request: HttpRequest) -> bool:
    """Whether to show organisers' warnings on a public page. Each condition on its line."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # A reader has no session: not opening one keeps their page free of "Vary: Cookie".
        return False
    user: Any = request.user
    if not user.is_authenticated:
        return False
    if not user.is_staff:
        return False
    return bool(user.has_perm("eci.organise_initiative"))


@require_GET
def sponsors(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_public_initiative(slug)
    listed = sponsor_list.disclosed(initiative)
    return render(
        request,
        "eci/sponsors.html",
        {
            "initiative": initiative,
            "sponsors": listed,
            "total": listed.aggregate(total=Sum("amount"))["total"] or 0,
            "minimum": sponsor_list.disclosure_minimum(),
            "update_months": number("sponsor_update_months"),
            "show_stale_warning": _is_organiser(request)
            and sponsor_list.disclosure_is_stale(initiative),
        },
    )
