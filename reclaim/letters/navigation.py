"""Where petitions and letters appear: the header, the front page and the staff area."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Link, Section, StaffLink
from reclaim.letters.counting import counts_for
from reclaim.letters.models import Petition

# The front page shows at most this many open petitions and letters, newest first.
FRONT_PAGE_ITEMS = 3


def open_for_signing(request: HttpRequest) -> dict[str, Any] | None:
    """The petitions and letters taking signatures now, with their counts (from the cache)."""
    now = timezone.now()
    petitions = list(
        Petition.objects.filter(
            status=Petition.Status.OPEN, opens_at__lte=now, closes_at__gt=now
        ).order_by("-opens_at", "-id")[:FRONT_PAGE_ITEMS]
    )
    if not petitions:
        return None
    items = []
    for petition in petitions:
        total = counts_for(petition)["total"]
        percent = min(100, round(100 * total / petition.goal)) if petition.goal else 0
        items.append({"petition": petition, "total": total, "percent": percent})
    return {"items": items}


LINKS = [Link(_("Petitions and letters"), "letters:index")]

SECTIONS = [Section("letters.open", "letters/_front.html", open_for_signing)]

STAFF_LINKS = [
    StaffLink(
        _("Signatures"),
        "letters.invalidate_signature",
        lambda: [
            (_("Trending sources"), reverse("letters:moderation:alerts")),
            (_("Bulk invalidation"), reverse("letters:moderation:invalidate")),
        ],
    ),
]
