"""Periodic jobs: what runs, and how often. The scheduler runs them in its own process.

Every job is idempotent, so running two schedulers (several machines) is harmless.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[], object]


def _aggregate() -> object:
    from reclaim.letters.counting import aggregate_counts

    return aggregate_counts()


def _deliver_stale() -> object:
    from reclaim.mail.services import deliver_stale

    return deliver_stale()


def _purge() -> object:
    from reclaim.core.retention import run_purge

    return run_purge()


def _sync_eci_counters() -> object:
    from reclaim.eci.sync import sync_all

    return sync_all()


def _mail_overdue_batches() -> object:
    # Runs hourly; the service itself sends at most one round of mail a day.
    from reclaim.eci.services import mail_overdue_batches

    return mail_overdue_batches()


def _detect_trending() -> object:
    from reclaim.shield.trending import detect

    return detect()


def jobs() -> list[Job]:
    return [
        Job("aggregate counts", int(settings.RECLAIM["AGGREGATE_EVERY"]), _aggregate),
        Job("deliver stale mail", 30, _deliver_stale),
        Job("purge", 86400, _purge),
        Job("sync ECI counters", int(settings.RECLAIM["ECI_SYNC_EVERY"]), _sync_eci_counters),
        Job("mail overdue paper batches", 3600, _mail_overdue_batches),
        Job("detect trending sources", 120, _detect_trending),
    ]


def run_forever(stop_after: float | None = None) -> None:
    """Run each job when it is due; a failing job is logged and retried at its next turn."""
    next_run: dict[str, float] = {}
    started = time.monotonic()
    while stop_after is None or time.monotonic() - started < stop_after:
        now = time.monotonic()
        for job in jobs():
            if next_run.get(job.name, 0) <= now:
                close_old_connections()
                try:
                    job.run()
                except Exception:
                    logger.exception("job %s failed", job.name)
                next_run[job.name] = now + job.every_seconds
        time.sleep(0.5)
