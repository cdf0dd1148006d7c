"""The threshold dashboard, and the same figures for partners' sites in an iframe."""

from __future__ import annotations

import re
from typing import Any

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from reclaim.eci.access import get_public_initiative
from reclaim.eci.dashboard_cache import figures_context
from reclaim.eci.figures import stale_sources
from reclaim.eci.models import Initiative

PARTNER = re.compile(r"[a-z0-9-]{1,60}")


def _dashboard_context(initiative: Initiative) -> dict[str, Any]:
    return figures_context(initiative) | {
        "initiative": initiative,
        # Not cached: the age of the last good figure moves with the clock.
        "stale": stale_sources(initiative),
    }


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_public_initiative(slug)
    return render(request, "eci/dashboard.html", _dashboard_context(initiative))


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]  # typed for (request) only
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The dashboard for partners' sites, in an iframe. No cookie, no script."""
    initiative = get_public_initiative(slug)
    partner = request.GET.get("partner", "")
    context = _dashboard_context(initiative) | {
        "partner": partner if PARTNER.fullmatch(partner) else ""
    }
    return render(request, "eci/embed.html", context)
