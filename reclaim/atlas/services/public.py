"""What of the atlas anyone may see: the published deployments, the published devices that
are still there, and which of those need someone to look again.

Every public page, file and API answer starts from these querysets, so "public" means the
same thing everywhere: a reviewer accepted the record (or staff entered it), and for a
device, no re-check found it gone (``removed_on``: it stays on record, off the map).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from reclaim.atlas.models import Deployment, Device

# A month as the re-check interval counts it. Calendar months would make the cut-off
# jump about at month ends; "not seen for a year" needs no more precision than this.
DAYS_PER_MONTH = 30.44


def public_deployments() -> QuerySet[Deployment]:
    """The deployments anyone may see."""
    return Deployment.objects.filter(published=True)


def public_devices() -> QuerySet[Device]:
    """The devices anyone may see: published, and not found gone by a re-check."""
    return Device.objects.filter(published=True, removed_on__isnull=True)


def recheck_months() -> int:
    return int(settings.RECLAIM["ATLAS_RECHECK_MONTHS"])


def recheck_cutoff(today: date | None = None) -> date:
    """A device last seen before this day needs a re-check
    (``settings.RECLAIM["ATLAS_RECHECK_MONTHS"]``, default 12 months)."""
    today = today or timezone.localdate()
    return today - timedelta(days=round(recheck_months() * DAYS_PER_MONTH))


def is_stale(device: Device, today: date | None = None) -> bool:
    """Whether this device needs a re-check (not seen since the cut-off)."""
    return device.last_seen < recheck_cutoff(today)


def needs_recheck(today: date | None = None) -> QuerySet[Device]:
    """The public devices nobody has seen since the cut-off, the longest unseen first."""
    return public_devices().filter(last_seen__lt=recheck_cutoff(today)).order_by("last_seen", "pk")
