"""Queue and deliver mails through the outbox: the one way reclaim sends mail.

Each kind of mail is built by the app that owns it (``reclaim.mail.builders``): its builder
returns the template name and context, and may do its own bookkeeping (a fresh token, say)
first. Every mail, to a signer or to staff, waits in the outbox and goes out in the
recipient's language.

Delivery works in batches: a worker claims up to ``BATCH_SIZE`` queued mails, builds them,
sends them over one connection to the mail server and then deletes the sent ones in one
query. Under a signing spike that is one SMTP handshake and a handful of write transactions
per batch instead of per mail.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from reclaim.lib import emails
from reclaim.mail import addresses
from reclaim.mail.builders import letter_for, mail_kind
from reclaim.mail.models import OutgoingMail

logger = logging.getLogger(__name__)

# After this many failed attempts the address is dropped: it would otherwise stay readable.
MAX_ATTEMPTS = 20
# Mails per claim and per connection to the mail server.
BATCH_SIZE = 200
# Batches per task run. A backlog larger than this is left to a fresh task at the back of
# the queue, so one spike cannot keep the (single) worker from every other task.
MAX_BATCHES = 10
# How long a claim holds. A worker stops sending from a batch after half of it and hands the
# rest back, so a claim does not run out under a worker that is still sending; a crashed
# worker's mails go out again once it has run out (at least once: those sent before the
# crash but not yet deleted go out twice). Short enough for the 30-second stale-mail job to
# pick them up within about a minute and a half.
CLAIM = timedelta(seconds=60)
# How long a mail waits after a failed attempt, or after the mail server could not be reached.
RETRY_AFTER = timedelta(seconds=30)
# queue_mail enqueues at most two delivery tasks per this many seconds (per cache: per
# machine with the default disk cache, per site with Redis), however many mails it queues.
NUDGE_SECONDS = 1


def queue_mail(
    kind: str,
    to_email: str,
    language: str,
    object_id: int | None = None,
    params: dict[str, Any] | None = None,
) -> OutgoingMail:
    """Write the mail into the outbox and nudge the worker once the transaction commits.

    Call it inside the transaction of the action that needs the mail. ``object_id`` and
    ``params`` (ids, never personal data) tell the builder what the mail is about."""
    mail_kind(kind)  # a kind no app declares is a mistake: fail now, not when sending
    period, sealed = addresses.seal(to_email)
    mail = OutgoingMail.objects.create(
        kind=kind,
        to_sealed=sealed,
        key_period=period,
        language=language,
        object_id=object_id,
        params=params or {},
    )
    transaction.on_commit(nudge)
    return mail


def nudge() -> None:
    """Make sure a ``deliver_pending`` task starts after this moment, without enqueueing
    one task per mail under a burst.

    The first nudge in a window enqueues a task at once, so a lone mail goes out promptly.
    Later nudges in the same window rely on one more task deferred to the window's end: the
    first may already have claimed its batch before their mail was committed. A nudge that
    is lost altogether (the process died between commit and enqueue) leaves its mail to the
    scheduler's stale-mail job.
    """
    from reclaim.mail.tasks import deliver_pending

    if not deliver_pending.get_backend().supports_defer:
        # The immediate backend runs the task right here: nothing to coalesce, and no
        # later task to leave the mail to.
        deliver_pending.enqueue()
        return
    window = int(time.time()) // NUDGE_SECONDS
    key = f"reclaim:mail:nudge:{window}"
    if cache.add(key, True, timeout=2 * NUDGE_SECONDS):
        deliver_pending.enqueue()
    elif cache.add(f"{key}:trailing", True, timeout=2 * NUDGE_SECONDS):
        window_end = datetime.fromtimestamp((window + 1) * NUDGE_SECONDS, tz=UTC)
        deliver_pending.using(run_after=window_end).enqueue()


def claim(
    limit: int = BATCH_SIZE,
    *,
    ids: Iterable[int] | None = None,
    created_before: datetime | None = None,
) -> list[OutgoingMail]:
    """Take up to ``limit`` queued mails that no other worker holds, oldest first."""
    now = timezone.now()
    queued = OutgoingMail.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    ).order_by("pk")
    if ids is not None:
        queued = queued.filter(pk__in=list(ids))
    if created_before is not None:
        queued = queued.filter(created_at__lt=created_before)
    # PostgreSQL: lock the rows and skip those another worker is claiming right now. SQLite
    # has no row locks, but it takes its single write lock at BEGIN (transaction_mode
    # IMMEDIATE in settings), so the select and the update below cannot interleave with
    # another claim.
    if connection.features.has_select_for_update_skip_locked:
        queued = queued.select_for_update(skip_locked=True)
    with transaction.atomic():
        mails = list(queued[:limit])
        if mails:
            OutgoingMail.objects.filter(pk__in=[m.pk for m in mails]).update(
                claimed_until=now + CLAIM
            )
    return mails


def deliver_pending() -> int:
    """Send queued mails in batches; returns how many went out."""
    sent, more = _drain()
    if more:
        nudge()
    return sent


def deliver_stale(older_than: timedelta = timedelta(seconds=30)) -> int:
    """Send mails whose nudge was lost (the process died between commit and enqueue)."""
    sent, _more = _drain(created_before=timezone.now() - older_than)
    return sent


def _drain(created_before: datetime | None = None) -> tuple[int, bool]:
    """Send up to MAX_BATCHES batches. Returns how many went out and whether more may wait."""
    sent = 0
    for _ in range(MAX_BATCHES):
        mails = claim(BATCH_SIZE, created_before=created_before)
        sent += _send_batch(mails)
        if len(mails) < BATCH_SIZE:
            return sent, False
    return sent, True


def _build(mail: OutgoingMail) -> EmailMultiAlternatives | None:
    to_email = mail.to_email
    if to_email is None:
        # Its key is gone: shred_keys keeps every key a queued mail needs, so only a lost or
        # replaced key folder gets here. The address cannot be read by anyone any more.
        logger.warning("mail %s (%s): its address key is gone; dropped", mail.pk, mail.kind)
        return None
    letter = letter_for(mail)
    if letter is None:
        return None
    return emails.build(letter.template, to_email, letter.context, mail.language, letter.headers)


@dataclass
class _Outcome:
    """What became of a claimed batch, by mail id."""

    done: list[int] = field(default_factory=list)  # sent, or nothing to say: forget them
    failed: list[int] = field(default_factory=list)  # count an attempt, retry later
    unreachable: list[int] = field(default_factory=list)  # server down: retry later
    released: list[int] = field(default_factory=list)  # out of time: next worker's turn


def _send_batch(mails: list[OutgoingMail]) -> int:
    """Build and send claimed mails over one connection, then settle the outbox. Returns
    how many were sent."""
    if not mails:
        return 0
    outcome = _Outcome()
    messages: list[tuple[OutgoingMail, EmailMultiAlternatives]] = []
    for mail in mails:
        try:
            message = _build(mail)
        except Exception:
            logger.exception("mail %s (%s) could not be built; it stays queued", mail.pk, mail.kind)
            outcome.failed.append(mail.pk)
            continue
        if message is None:
            # The object is gone (withdrawn, expired): nothing to say, forget the address.
            outcome.done.append(mail.pk)
        else:
            messages.append((mail, message))
    sent = _send(messages, outcome)
    _settle(outcome)
    return sent


def _send(messages: list[tuple[OutgoingMail, EmailMultiAlternatives]], outcome: _Outcome) -> int:
    if not messages:
        return 0
    # Stop well before the claim runs out, so that no other worker can take a mail that
    # this one is still about to send.
    deadline = time.monotonic() + CLAIM.total_seconds() / 2
    pending = [mail.pk for mail, _message in messages]
    sent = 0
    server = get_connection()
    try:
        server.open()
    except Exception:
        logger.exception("mail server unreachable; %s mails stay queued", len(pending))
        outcome.unreachable += pending
        return 0
    try:
        for mail, message in messages:
            if time.monotonic() > deadline:
                outcome.released += pending
                break
            pending.remove(mail.pk)
            try:
                server.send_messages([message])
            except Exception:
                logger.exception("mail %s (%s) failed; it stays queued", mail.pk, mail.kind)
                outcome.failed.append(mail.pk)
                # The failure may have broken the connection: the next mail gets a fresh
                # one, and if there is none the rest of the batch waits for a retry.
                server.close()
                try:
                    server.open()
                except Exception:
                    logger.exception("mail server unreachable; %s mails stay queued", len(pending))
                    outcome.unreachable += pending
                    break
            else:
                outcome.done.append(mail.pk)
                sent += 1
    finally:
        server.close()
    return sent


def _settle(outcome: _Outcome) -> None:
    """Write what became of a batch in one transaction. A mail is deleted only here, after
    its send succeeded: a crash before this point sends the batch again, never loses it."""
    now = timezone.now()
    with transaction.atomic():
        if outcome.done:
            OutgoingMail.objects.filter(pk__in=outcome.done).delete()
        if outcome.failed:
            OutgoingMail.objects.filter(pk__in=outcome.failed).update(
                attempts=F("attempts") + 1, claimed_until=now + RETRY_AFTER
            )
            dropped, _ = OutgoingMail.objects.filter(
                pk__in=outcome.failed, attempts__gte=MAX_ATTEMPTS
            ).delete()
            if dropped:
                logger.warning("%s mails dropped after %s attempts", dropped, MAX_ATTEMPTS)
        if outcome.unreachable:
            # Not the mails' fault: no attempt is counted, but they wait as after a failure.
            OutgoingMail.objects.filter(pk__in=outcome.unreachable).update(
                claimed_until=now + RETRY_AFTER
            )
        if outcome.released:
            OutgoingMail.objects.filter(pk__in=outcome.released).update(claimed_until=None)


# A key is destroyed this long after its period ends at the earliest, so that a transaction
# that took the key just before the end (and waited on a lock) has committed its mail first.
SHRED_GRACE_SECONDS = 120


def shred_keys(now: float | None = None) -> int:
    """Destroy every address key that no queued mail needs any more; returns how many.

    A key is kept while its period runs, for a short grace after it, and for as long as a
    mail written under it waits in the outbox (retries included, until purge_expired drops
    the mail). After that every copy of those addresses, wherever the database left one, is
    unreadable."""
    now = time.time() if now is None else now
    last_done = addresses.current_period(now - SHRED_GRACE_SECONDS) - 1
    candidates = [p for p in addresses.kept_periods() if p <= last_done]
    if not candidates:
        return 0
    needed = set(
        OutgoingMail.objects.filter(key_period__in=candidates)
        .values_list("key_period", flat=True)
        .distinct()
    )
    shredded = 0
    for period in candidates:
        if period not in needed:
            addresses.shred(period)
            shredded += 1
    return shredded


def purge_expired() -> int:
    """An address that could not be delivered within the confirmation window is dropped."""
    cutoff = timezone.now() - timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])
    deleted, _ = OutgoingMail.objects.filter(created_at__lt=cutoff).delete()
    return deleted
