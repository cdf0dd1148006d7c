"""The ECI companion's periodic jobs."""

from __future__ import annotations

from django.conf import settings

from reclaim.core.hooks import Job
from reclaim.eci.services.overdue_mail import mail_overdue_batches
from reclaim.eci.sync import sync_all

JOBS = [
    Job("sync ECI counters", lambda: int(settings.RECLAIM["ECI_SYNC_EVERY"]), sync_all),
    # Hourly; the service itself mails at most one round a day.
    Job("mail overdue paper batches", 3600, mail_overdue_batches),
]
