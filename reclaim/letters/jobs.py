"""The signature engine's periodic jobs."""

from __future__ import annotations

from django.conf import settings

from reclaim.core.hooks import Job
from reclaim.letters.counting import aggregate_counts
from reclaim.letters.moderation.trending import detect

JOBS = [
    # Counts are rebuilt from the signature rows, never incremented per request.
    Job("aggregate counts", lambda: int(settings.RECLAIM["AGGREGATE_EVERY"]), aggregate_counts),
    Job("detect trending sources", 120, detect),
]
