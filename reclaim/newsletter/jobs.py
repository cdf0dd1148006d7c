"""The newsletter's periodic jobs. Each part adds its own here."""

from __future__ import annotations

from reclaim.core.hooks import Job
from reclaim.newsletter.jobs_sending import JOBS as SENDING_JOBS
from reclaim.newsletter.services.subscriptions import remind_and_expire

JOBS = [
    # Hourly is plenty: reminders go weeks before expiry.
    Job("newsletter reminders and expiry", 3600, remind_and_expire),
    *SENDING_JOBS,
]
