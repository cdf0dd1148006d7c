"""The daily run of every app's retention policies (``reclaim purge``)."""

from __future__ import annotations

from reclaim.core.hooks import Job
from reclaim.privacy.purge import run_purge

JOBS = [Job("purge", 86400, run_purge)]
