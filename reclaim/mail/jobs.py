"""The outbox's periodic jobs: mails whose nudge was lost (the process died between the
commit and the enqueue) go out within about a minute, and the keys of addresses that no
queued mail needs any more are destroyed within a minute of the end of their grace."""

from __future__ import annotations

from reclaim.core.hooks import Job
from reclaim.mail.services import deliver_stale, shred_keys

JOBS = [
    Job("deliver stale mail", 30, deliver_stale),
    Job("shred outbox address keys", 60, shred_keys),
]
