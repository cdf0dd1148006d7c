"""What the core deletes on its own schedule: records of finished background tasks."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Policy

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_tasks_db.models import DBTaskResult

# Finished task records hold only ids, but they pile up; a day is enough to look into a
# failure that was just reported.
TASK_RESULTS_KEPT = timedelta(days=1)


def _finished_task_results() -> QuerySet[DBTaskResult]:
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - TASK_RESULTS_KEPT
    return DBTaskResult.objects.finished().filter(finished_at__lte=cutoff)


def _prune_task_results() -> int:
    deleted, _detail = _finished_task_results().delete()
    return int(deleted)


POLICIES = [
    Policy(
        "task_results_pruned",
        _("Records of background tasks finished more than a day ago"),
        count_due=lambda: int(_finished_task_results().count()),
        run=_prune_task_results,
    ),
]
