"""Where the ECI companion appears: the header, the front page and the staff area."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Link, Section, StaffLink
from reclaim.eci.dashboard_cache import figures_context
from reclaim.eci.models import Initiative

# Initiatives the front page presents: those a visitor can act on, newest first.
LIVE = (Initiative.Status.REGISTERED, Initiative.Status.COLLECTING)


def initiative_block(request: HttpRequest) -> dict[str, Any] | None:
    """The initiative collecting now (or about to), with its figures from the dashboard's
    cache; failing that, the latest one, to show where it ended."""
    initiatives = Initiative.objects.order_by("-registered_on", "-pk")
    initiative = initiatives.filter(status__in=LIVE).first() or initiatives.first()
    if initiative is None:
        return None
    return {
        "initiative": initiative,
        "board": figures_context(initiative)["board"],
        "collecting": initiative.status == Initiative.Status.COLLECTING,
    }


def _organiser_pages() -> list[tuple[Any, str]]:
    pages: list[tuple[Any, str]] = []
    for initiative in Initiative.objects.order_by("-registered_on", "-pk"):
        number = initiative.registration_number
        pages.append(
            (
                _("%(number)s: paper batches and deadlines") % {"number": number},
                reverse("eci:organise", args=[initiative.slug]),
            )
        )
        pages.append(
            (
                _("%(number)s: figures and counters") % {"number": number},
                reverse("eci:figures", args=[initiative.slug]),
            )
        )
    return pages


LINKS = [Link(_("Citizens' initiative"), "eci:index")]

SECTIONS = [Section("eci.initiative", "eci/_front.html", initiative_block)]

STAFF_LINKS = [StaffLink(_("Citizens' initiatives"), "eci.organise_initiative", _organiser_pages)]
