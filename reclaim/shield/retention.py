"""What abuse control deletes on its own schedule (run by reclaim.core.retention)."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.core.retention import Policy, PolicyUnavailable
from reclaim.shield.models import DailySalt


def _past_salts() -> QuerySet[DailySalt]:
    return DailySalt.objects.filter(day__lt=timezone.localdate())


def _delete_past_salts() -> int:
    # today_salt() deletes them too, but only when a new day's first hash is made: on a
    # quiet day yesterday's salt would otherwise survive, and with it the link between
    # yesterday's hashes.
    deleted, _detail = _past_salts().delete()
    return deleted


def _invalidation() -> ModuleType:
    # Imported when the policy runs, not at start-up: bulk invalidation lands separately,
    # and until it is there this policy is skipped with a log line instead of failing.
    try:
        return import_module("reclaim.shield.invalidation")
    except ModuleNotFoundError as exc:
        if exc.name != "reclaim.shield.invalidation":
            raise
        raise PolicyUnavailable("reclaim.shield.invalidation is not installed") from exc


def _count_invalidated() -> int:
    return int(_invalidation().purge_invalidated(dry_run=True))


def _purge_invalidated() -> int:
    return int(_invalidation().purge_invalidated(dry_run=False))


POLICIES = [
    Policy(
        "daily_salts_deleted",
        _("Salts of past days, so that no source hash can be linked across days"),
        count_due=lambda: _past_salts().count(),
        run=_delete_past_salts,
    ),
    Policy(
        "invalidated_signatures_deleted",
        _("Signatures invalidated in bulk, by runs not undone before this purge"),
        count_due=_count_invalidated,
        run=_purge_invalidated,
    ),
]
