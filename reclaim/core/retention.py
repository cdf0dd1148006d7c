"""The retention engine: every app's deletions, run by `reclaim purge` and the scheduler."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command


def _prune_task_results() -> None:
    """Finished task records only hold ids, but they pile up: keep a day of them."""
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        call_command("prune_db_task_results", min_age_days=1, queue_name="*", verbosity=0)


def run_purge(dry_run: bool = False) -> dict[str, Any]:
    from reclaim.letters.retention import close_due_petitions, purge
    from reclaim.mail.services import purge_expired

    report: dict[str, Any] = {}
    if not dry_run:
        report["petitions_closed"] = close_due_petitions()
    report.update(purge(dry_run=dry_run))
    if not dry_run:
        report["undelivered_mails_dropped"] = purge_expired()
        _prune_task_results()
    return report
