"""What abuse control deletes on its own schedule (run by reclaim.privacy.purge)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Policy
from reclaim.shield.models import DailySalt


def _past_salts() -> QuerySet[DailySalt]:
    return DailySalt.objects.filter(day__lt=timezone.localdate())


def _delete_past_salts() -> int:
    # today_salt() deletes them too, but only when a new day's first hash is made: on a
    # quiet day yesterday's salt would otherwise survive, and with it the link between
    # yesterday's hashes.
    deleted, _detail = _past_salts().delete()
    return deleted


POLICIES = [
    Policy(
        "daily_salts_deleted",
        _("Salts of past days, so that no source hash can be linked across days"),
        count_due=lambda: _past_salts().count(),
        run=_delete_past_salts,
    ),
]
