"""The retention engine: every app's deletions, run by `reclaim purge` and the scheduler.

Each app declares what it deletes, and when, as a list of policies in its own
``retention.py`` (``POLICIES = [Policy(...)]``). The engine runs them in the order of
``POLICY_MODULES`` and writes one audit entry per real run with every policy's count.

To add a policy: declare it in your app's ``retention.py`` and, for a new app, add the
module to ``POLICY_MODULES``. A central list rather than imports in each AppConfig.ready:
the order is visible in one place (petitions are closed before their data is purged), and
no policy depends on the side effects of app loading.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reclaim.audit.services import record

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

POLICY_MODULES = [
    "reclaim.letters.retention",
    "reclaim.mail.retention",
    "reclaim.shield.retention",
    "reclaim.privacy.retention",
    "reclaim.core.retention",
]


@dataclass(frozen=True)
class Policy:
    """One declared deletion: what it removes, how much is due now, and the deletion."""

    name: str
    description: str | Promise
    count_due: Callable[[], int]
    run: Callable[[], int]


class PolicyUnavailable(Exception):
    """Raised by a policy whose code is not installed yet: the run skips it and logs why."""


def policies() -> list[Policy]:
    found: list[Policy] = []
    for path in POLICY_MODULES:
        found.extend(import_module(path).POLICIES)
    names = [p.name for p in found]
    if len(names) != len(set(names)):
        raise RuntimeError(f"Two retention policies share a name: {names}")
    return found


def run_purge(dry_run: bool = False, actor: str = "purge") -> dict[str, int]:
    """Run every policy (or, in a dry run, count what each would delete).

    Returns {policy name: rows}. A skipped policy is absent. One failing policy does not
    stop the others: it is logged and named in the audit entry, and its error is raised
    after the run so that the scheduler and the command report it.
    """
    counts: dict[str, int] = {}
    skipped: list[str] = []
    failed: list[str] = []
    error: Exception | None = None
    for policy in policies():
        try:
            counts[policy.name] = policy.count_due() if dry_run else policy.run()
        except PolicyUnavailable as exc:
            logger.warning("retention policy %s skipped: %s", policy.name, exc)
            skipped.append(policy.name)
        except Exception as exc:
            logger.exception("retention policy %s failed", policy.name)
            failed.append(policy.name)
            error = error or exc
    if not dry_run:
        with transaction.atomic():
            record(
                actor,
                "retention.run",
                target="retention",
                count=sum(counts.values()),
                counts=counts,
                skipped=skipped,
                failed=failed,
            )
    if error is not None:
        raise error
    return counts


# --- The engine's own policy ----------------------------------------------------------

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
