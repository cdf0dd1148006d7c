"""The scheduler: runs every app's periodic jobs (``jobs.py``) when they are due.

It runs in its own process (``reclaim scheduler``, or with ``reclaim serve``). Every job is
idempotent, so running two schedulers (several machines) is harmless.
"""

from __future__ import annotations

import logging
import time

from django.db import close_old_connections

from reclaim.core.hooks import JOBS

logger = logging.getLogger(__name__)


def run_forever(stop_after: float | None = None) -> None:
    """Run each job when it is due; a failing job is logged and retried at its next turn."""
    next_run: dict[str, float] = {}
    started = time.monotonic()
    while stop_after is None or time.monotonic() - started < stop_after:
        now = time.monotonic()
        for job in JOBS:
            if next_run.get(job.name, 0) <= now:
                close_old_connections()
                try:
                    job.run()
                except Exception:
                    logger.exception("job %s failed", job.name)
                next_run[job.name] = now + job.interval()
        time.sleep(0.5)
