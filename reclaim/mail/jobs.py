"""The outbox's periodic job: mails whose nudge was lost (the process died between the
commit and the enqueue) go out within about a minute."""

from __future__ import annotations

from reclaim.core.hooks import Job
from reclaim.mail.services import deliver_stale

JOBS = [Job("deliver stale mail", 30, deliver_stale)]
