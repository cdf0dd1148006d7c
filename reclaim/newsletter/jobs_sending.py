"""The sending job: scheduled issues start, and each sending issue gets one batch per turn,
so the turn's interval is the sending rate (``NEWSLETTER_BATCH_SIZE`` per
``NEWSLETTER_BATCH_SECONDS``)."""

from __future__ import annotations

from django.conf import settings

from reclaim.core.hooks import Job
from reclaim.newsletter.services.sending import run_sending


def _every() -> int:
    # The scheduler's loop ticks every half second; a turn less than a second apart would
    # only spin.
    return max(1, int(settings.RECLAIM["NEWSLETTER_BATCH_SECONDS"]))


JOBS = [Job("send newsletter issues", _every, run_sending)]
