"""Sending an issue to every confirmed subscriber of its list, at a set rate, at most once.

How an issue reaches its subscribers
    Each turn of the sending job (jobs_sending.py, every ``NEWSLETTER_BATCH_SECONDS``)
    queues the next ``NEWSLETTER_BATCH_SIZE`` subscriptions, in id order, in ONE transaction:
    a :class:`Delivery` row per subscription and an outbox row (reclaim.mail) holding the
    address, opened from its at-rest seal and sealed again under the outbox's short-lived
    key. A crash therefore never leaves a delivery without its mail or a mail without its
    delivery. Then it sends every queued copy that is due, one by one, over one connection.

Why nobody gets the same issue twice
    1. ``one_delivery_per_subscription`` (issue, subscription) is unique: a subscription is
       queued once per issue, whoever queues and however often a batch is retried. Queueing
       locks the issue row, so two senders queue one after the other.
    2. Before a copy is handed to the mail server its delivery goes QUEUED -> SENDING in a
       committed conditional update: of two senders only one wins it, and a copy that
       is SENDING is never sent again by anyone.
    3. After the server accepted it, one transaction marks it SENT and deletes its outbox
       row (and with it the address).
    A sender that dies between 2 and 3 leaves the copy SENDING. Whether the server took it
    cannot be known (SMTP has no way to ask), and this sender chooses AT MOST ONCE: such a
    copy is not sent again, and is counted as failed when the issue finishes. At worst one
    copy per crashed sender is lost (the one in flight); none is ever sent twice. A server
    error (an exception from the backend) means the mail was not accepted: the copy goes
    back to QUEUED and is retried at the next turn, up to the outbox's MAX_ATTEMPTS.

Why the generic outbox worker does not send these mails
    It settles a whole batch after sending it, so a crash mid-batch sends the batch's
    first mails again (at least once: right for a confirmation link, wrong for a
    newsletter). The newsletter's outbox rows are therefore queued as claimed until
    ``HELD`` (far in the future): the generic worker never picks them up, and this module
    sends them itself with the per-mail bookkeeping above. They stay ordinary outbox rows
    otherwise: the key of their period is kept while they wait, and each is built by the
    kind's letter (mails_sending.issue_letter) with List-Unsubscribe and
    List-Unsubscribe-Post (RFC 8058) added, as the outbox does for every list mail.

What is kept
    Counts only. When every copy is settled the issue gets ``sent_count`` and
    ``failed_count``, and its Delivery rows are deleted: nothing says afterwards who got it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.lib import emails
from reclaim.mail import addresses
from reclaim.mail.builders import list_headers
from reclaim.mail.models import OutgoingMail
from reclaim.mail.services import MAX_ATTEMPTS
from reclaim.newsletter.models import Delivery, Issue, Subscription, Suppression

logger = logging.getLogger(__name__)

ISSUE_MAIL = "newsletter.issue"
TEST_MAIL = "newsletter.issue-test"
ISSUE_TEMPLATE = "newsletter-issue"
# "Claimed" until then: the generic outbox worker leaves these rows to this module.
HELD = datetime(9999, 12, 31, tzinfo=UTC)
# A copy SENDING for longer than this belongs to a sender that died (one mail takes
# seconds at most: Django's SMTP timeout is 20 s). Only the finishing of the issue waits
# for it; it is never sent again either way.
STUCK_AFTER = timedelta(minutes=10)

State = Delivery.State
Status = Issue.Status


def batch_size() -> int:
    return max(1, int(settings.RECLAIM["NEWSLETTER_BATCH_SIZE"]))


def batch_seconds() -> int:
    return max(0, int(settings.RECLAIM["NEWSLETTER_BATCH_SECONDS"]))


def recipients(issue: Issue, at: datetime | None = None) -> QuerySet[Subscription]:
    """The confirmed subscriptions of the issue's list, never a suppressed address.

    Those confirmed after sending began wait for the next issue: the number staff
    confirmed is the number that gets it."""
    moment = at or issue.started_at or timezone.now()
    suppressed = Suppression.objects.filter(mailing_list_id=issue.mailing_list_id)
    return Subscription.objects.filter(
        mailing_list_id=issue.mailing_list_id,
        confirmed_at__isnull=False,
        confirmed_at__lte=moment,
    ).exclude(email_hash__in=suppressed.values("email_hash"))


def begin_sending(issue: Issue, actor: Any) -> None:
    """Mark the (locked) issue as sending; the job does the rest. Call inside a transaction."""
    now = timezone.now()
    issue.status = Status.SENDING
    issue.started_at = now
    issue.recipients = recipients(issue, at=now).count()
    issue.save(update_fields=["status", "started_at", "recipients"])
    record(actor, "newsletter.issue_send", target=f"issue {issue.pk}", count=issue.recipients)


def start_due(now: datetime | None = None) -> int:
    """Scheduled issues whose time has come start sending."""
    now = now or timezone.now()
    started = 0
    for pk in Issue.objects.filter(status=Status.SCHEDULED, send_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            issue = Issue.objects.select_for_update().get(pk=pk)
            if issue.status == Status.SCHEDULED:
                begin_sending(issue, "scheduler")
                started += 1
    return started


def queue_next(issue_pk: int, limit: int | None = None) -> int:
    """Queue the next ``limit`` recipients of a sending issue, in one transaction."""
    limit = batch_size() if limit is None else limit
    with transaction.atomic():
        issue = Issue.objects.select_for_update().select_related("mailing_list").get(pk=issue_pk)
        if issue.status != Status.SENDING:
            return 0
        cursor = issue.deliveries.aggregate(last=Max("subscription_id"))["last"] or 0
        rows = list(
            recipients(issue)
            .filter(pk__gt=cursor)
            .order_by("pk")
            .values_list("pk", "address_sealed")[:limit]
        )
        mails: list[OutgoingMail] = []
        deliveries: list[Delivery] = []
        for pk, blob in rows:
            try:
                address = addresses.open_at_rest(blob)
            except ValueError:
                # Its key is gone: nobody can read it any more. Counted as failed.
                logger.warning("subscription %s: its address does not open", pk)
                deliveries.append(Delivery(issue=issue, subscription_id=pk, state=State.FAILED))
                continue
            period, sealed = addresses.seal(address)
            mails.append(
                OutgoingMail(
                    kind=ISSUE_MAIL,
                    to_sealed=sealed,
                    key_period=period,
                    language=issue.mailing_list.language,
                    object_id=issue.pk,
                    params={"subscription": pk},
                    claimed_until=HELD,
                )
            )
            deliveries.append(Delivery(issue=issue, subscription_id=pk))
        created = OutgoingMail.objects.bulk_create(mails)
        queued = iter(created)
        for delivery in deliveries:
            if delivery.state == State.QUEUED:
                delivery.mail_id = next(queued).pk
        Delivery.objects.bulk_create(deliveries)
    return len(mails)


def _build(
    mail: OutgoingMail, issue: Issue, subscriptions: dict[int, Subscription]
) -> EmailMultiAlternatives | None:
    """The mail as the kind's builder makes it (mails_sending.py), from rows fetched once
    per turn instead of three queries per mail; None if they unsubscribed meanwhile."""
    from reclaim.newsletter.mails_sending import issue_letter

    to_email = mail.to_email
    if to_email is None:
        raise RuntimeError(f"outbox mail {mail.pk}: its address key is gone")
    subscription = subscriptions.get(int(mail.params.get("subscription") or 0))
    if subscription is None:
        return None
    letter = issue_letter(issue, subscription)
    # What letter_for() adds to every list mail: List-Unsubscribe and List-Unsubscribe-Post.
    headers = {**letter.headers, **list_headers(letter.unsubscribe_url)}
    return emails.build(letter.template, to_email, letter.context, mail.language, headers)


def _settle(delivery_pk: int, mail_pk: int | None, state: str) -> None:
    """The copy's final state and the end of its address, in one transaction."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery_pk).update(state=state, changed_at=timezone.now())
        if mail_pk is not None:
            OutgoingMail.objects.filter(pk=mail_pk).delete()


def _failed(delivery_pk: int, mail_pk: int | None, attempts: int) -> None:
    """Not accepted: retry at the next turn, or give up after MAX_ATTEMPTS."""
    if attempts + 1 >= MAX_ATTEMPTS:
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery_pk).update(
                state=State.FAILED, attempts=attempts + 1, changed_at=timezone.now()
            )
            if mail_pk is not None:
                OutgoingMail.objects.filter(pk=mail_pk).delete()
        return
    now = timezone.now()
    Delivery.objects.filter(pk=delivery_pk).update(
        state=State.QUEUED,
        attempts=attempts + 1,
        not_before=now + timedelta(seconds=batch_seconds()),
        changed_at=now,
    )


def send_queued(issue_pk: int) -> int:
    """Send the issue's queued copies that are due, one by one; returns how many went out."""
    now = timezone.now()
    due = list(
        Delivery.objects.filter(issue_id=issue_pk, state=State.QUEUED)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by("pk")
        .values_list("pk", "mail_id", "attempts")
    )
    if not due:
        return 0
    issue = Issue.objects.select_related("mailing_list").get(pk=issue_pk)
    mails = OutgoingMail.objects.in_bulk([mail_pk for _pk, mail_pk, _n in due if mail_pk])
    # Read at the start of the turn: someone who unsubscribes during it (a few seconds)
    # may still get this one copy.
    subscriptions = Subscription.objects.filter(
        mailing_list_id=issue.mailing_list_id,
        confirmed_at__isnull=False,
        pk__in=[mail.params.get("subscription") for mail in mails.values()],
    ).in_bulk()
    sent = 0
    server: Any = None
    try:
        for delivery_pk, mail_pk, attempts in due:
            # Step 2 of the module's promise: committed before the server sees the mail.
            taken = Delivery.objects.filter(pk=delivery_pk, state=State.QUEUED).update(
                state=State.SENDING, not_before=timezone.now(), changed_at=timezone.now()
            )
            if not taken:
                continue  # another sender has it
            mail = mails.get(mail_pk) if mail_pk else None
            if mail is None:  # purged from the outbox (purge_expired): its address is gone
                _settle(delivery_pk, None, State.FAILED)
                continue
            try:
                message = _build(mail, issue, subscriptions)
            except Exception:
                logger.exception("newsletter mail %s could not be built", mail.pk)
                _failed(delivery_pk, mail.pk, attempts)
                continue
            if message is None:  # unsubscribed since it was queued: nothing goes out
                _settle(delivery_pk, mail.pk, State.DROPPED)
                continue
            if server is None:
                server = get_connection()
                try:
                    server.open()
                except Exception:
                    logger.exception("mail server unreachable; the issue waits for a turn")
                    # Not the mail's fault: back to the queue without counting an attempt.
                    Delivery.objects.filter(pk=delivery_pk).update(
                        state=State.QUEUED,
                        not_before=timezone.now() + timedelta(seconds=batch_seconds()),
                    )
                    server = None
                    break
            try:
                server.send_messages([message])
            except Exception:
                logger.warning("newsletter mail %s not accepted; retried later", mail.pk)
                _failed(delivery_pk, mail.pk, attempts)
                # The failure may have broken the connection: the next mail gets a new one.
                server.close()
                server = None
                continue
            _settle(delivery_pk, mail.pk, State.SENT)
            sent += 1
    finally:
        if server is not None:
            server.close()
    return sent


def finish_if_done(issue_pk: int, stuck_after: timedelta = STUCK_AFTER) -> bool:
    """Once every copy is settled: counts to the issue, Delivery rows deleted."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_pk)
        if issue.status != Status.SENDING:
            return False
        deliveries = issue.deliveries.all()
        if deliveries.filter(state=State.QUEUED).exists():
            return False
        cursor = deliveries.aggregate(last=Max("subscription_id"))["last"] or 0
        if recipients(issue).filter(pk__gt=cursor).exists():
            return False
        cutoff = timezone.now() - stuck_after
        if deliveries.filter(state=State.SENDING, not_before__gt=cutoff).exists():
            return False  # maybe still in a live sender's hands
        counts = dict(
            deliveries.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
        )
        issue.sent_count = counts.get(State.SENT, 0)
        # A copy left SENDING by a dead sender may or may not have arrived: not counted as
        # sent, since nobody knows it was.
        issue.failed_count = counts.get(State.FAILED, 0) + counts.get(State.SENDING, 0)
        issue.status = Status.SENT
        issue.finished_at = timezone.now()
        issue.save(update_fields=["sent_count", "failed_count", "status", "finished_at"])
        OutgoingMail.objects.filter(kind=ISSUE_MAIL, object_id=issue.pk).delete()
        deliveries.delete()
        record(
            "system",
            "newsletter.issue_finish",
            target=f"issue {issue.pk}",
            count=issue.sent_count,
            failed=issue.failed_count,
        )
    return True


def progress(issue: Issue) -> dict[str, int]:
    """Sent and failed so far, for an issue still sending (the counts once it is sent)."""
    if issue.status != Status.SENDING:
        return {"sent": issue.sent_count, "failed": issue.failed_count}
    counts = dict(
        issue.deliveries.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return {"sent": counts.get(State.SENT, 0), "failed": counts.get(State.FAILED, 0)}


def run_sending(stuck_after: timedelta = STUCK_AFTER) -> int:
    """One turn of the sending job: start what is due, then one batch per sending issue.
    Idempotent and safe to run in several processes at once."""
    start_due()
    sent = 0
    for pk in Issue.objects.filter(status=Status.SENDING).values_list("pk", flat=True):
        queue_next(pk)
        sent += send_queued(pk)
        finish_if_done(pk, stuck_after)
    return sent
