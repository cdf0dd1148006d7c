"""The retention engine: every app's deletions, run by `reclaim purge` and the scheduler."""

from __future__ import annotations

from typing import Any


def run_purge(dry_run: bool = False) -> dict[str, Any]:
    from reclaim.letters.retention import close_due_petitions, purge
    from reclaim.mail.services import purge_expired

    report: dict[str, Any] = {}
    if not dry_run:
        report["petitions_closed"] = close_due_petitions()
    report.update(purge(dry_run=dry_run))
    if not dry_run:
        report["undelivered_mails_dropped"] = purge_expired()
    return report
