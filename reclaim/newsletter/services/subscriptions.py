"""Subscribing, confirming, renewing and unsubscribing: every write of that part is here.

A subscription is stored PENDING (``confirmed_at`` empty) and its owner gets a mail whose
link opens a page with a button; only that button's POST confirms (mail scanners follow
links). Whatever the address's state, the form answers "check your inbox", so it tells
nobody which addresses are subscribed. Unconfirmed subscriptions are deleted after
``RECLAIM["CONFIRMATION_DAYS"]`` (retention.py).

Unsubscribing deletes the row at once, address and all, and keeps the keyed hash on the
list's suppression list, so that an import cannot add the address again: only its owner
can, by confirming a new subscription (which lifts the suppression).

A confirmed subscription that nobody renewed for the list's ``inactive_days`` expires: a
reminder goes ``reminder_days`` before, with a "keep me subscribed" button (jobs.py).
Expiry is not an unsubscribe: the row is deleted and no suppression is kept.

Unsubscribe links are signed (django.core.signing) over the subscription and its list,
with nothing stored: a link of a deleted subscription still opens, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from reclaim.audit.services import record
from reclaim.lib.tokens import hash_token, looks_like_token, new_token
from reclaim.mail.services import queue_mail
from reclaim.newsletter.models import MailingList, Subscription, Suppression
from reclaim.newsletter.services.addresses import hash_address, open_address, seal_address

CONFIRM_MAIL = "newsletter.confirm"
REMINDER_MAIL = "newsletter.reminder"

# Salts keep one kind of signed link from opening another kind of page.
UNSUBSCRIBE_SALT = "reclaim.newsletter.unsubscribe"
RENEW_SALT = "reclaim.newsletter.renew"

Source = Subscription.Source


# --- Links -----------------------------------------------------------------------------


def _absolute(language: str, name: str, *args: object) -> str:
    with translation.override(language):
        return settings.BASE_URL + reverse(name, args=list(args))


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps([subscription.pk, subscription.mailing_list_id], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """(subscription id, list id) of a genuine token, whether or not the row still exists."""
    return _read(token, UNSUBSCRIBE_SALT)


def _read(token: str, salt: str, max_age: timedelta | None = None) -> tuple[int, int] | None:
    if not looks_like_token(token):
        return None
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return None
    return value[0], value[1]


def unsubscribe_url(subscription: Subscription) -> str:
    """The absolute address of the page that unsubscribes (its button POSTs)."""
    return _absolute(
        subscription.language, "newsletter:unsubscribe", unsubscribe_token(subscription)
    )


def one_click_url(subscription: Subscription) -> str:
    """The RFC 8058 target: one POST with ``List-Unsubscribe=One-Click`` unsubscribes."""
    return _absolute(subscription.language, "newsletter:one_click", unsubscribe_token(subscription))


def subscription_for_unsubscribe(token: str) -> Subscription | None:
    found = read_unsubscribe_token(token)
    if found is None:
        return None
    pk, list_id = found
    return (
        Subscription.objects.select_related("mailing_list")
        .filter(pk=pk, mailing_list_id=list_id)
        .first()
    )


def renew_token(subscription: Subscription) -> str:
    return signing.dumps([subscription.pk, subscription.mailing_list_id], salt=RENEW_SALT)


def subscription_for_renewal(token: str) -> Subscription | None:
    found = _read(token, RENEW_SALT)
    if found is None:
        return None
    pk, list_id = found
    return (
        Subscription.objects.select_related("mailing_list")
        .filter(pk=pk, mailing_list_id=list_id, confirmed_at__isnull=False)
        .first()
    )


# --- Lists -----------------------------------------------------------------------------


def open_lists(language: str | None = None) -> list[MailingList]:
    """The lists open for subscriptions, those in ``language`` first."""
    lists = list(MailingList.objects.filter(is_active=True).order_by("name", "pk"))
    if language:
        lists.sort(key=lambda item: item.language != language)
    return lists


def list_for_signing(language: str) -> MailingList | None:
    """The list that the signing form's "send me news" box subscribes to: the one set in
    ``RECLAIM["NEWSLETTER_SIGNING_LISTS"]`` for the language, else the first open list in
    that language; None if there is none (then the box subscribes to nothing)."""
    configured = dict(settings.RECLAIM.get("NEWSLETTER_SIGNING_LISTS", {}) or {})
    slug = configured.get(language)
    if slug:
        found = MailingList.objects.filter(slug=slug, is_active=True).first()
        if found is not None:
            return found
    return MailingList.objects.filter(language=language, is_active=True).order_by("pk").first()


# --- Deadlines -------------------------------------------------------------------------


def confirmation_window() -> timedelta:
    # One rule for "how long a confirmation link works", as for signatures.
    return timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])


def confirmation_deadline(subscription: Subscription) -> datetime:
    return subscription.created_at + confirmation_window()


def can_confirm(subscription: Subscription) -> bool:
    return subscription.confirmed_at is None and timezone.now() < confirmation_deadline(
        subscription
    )


def expires_at(subscription: Subscription) -> datetime | None:
    """When a confirmed subscription expires unless renewed (None while pending)."""
    start = subscription.renewed_at or subscription.confirmed_at
    if start is None:
        return None
    return start + timedelta(days=subscription.mailing_list.inactive_days)


def expiry_date(subscription: Subscription) -> datetime | None:
    """When the subscription really ends unless renewed: a reminder sent late (the scheduler
    was down) still gives its full ``reminder_days`` of notice (see due_for_expiry)."""
    end = expires_at(subscription)
    if end is not None and subscription.reminded_at is not None:
        notice = subscription.reminded_at + timedelta(days=subscription.mailing_list.reminder_days)
        end = max(end, notice)
    return end


def reminder_at(subscription: Subscription) -> datetime | None:
    end = expires_at(subscription)
    if end is None:
        return None
    return end - timedelta(days=subscription.mailing_list.reminder_days)


# --- Subscribing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Subscriber:
    """What a person gives to subscribe, checked."""

    email: str
    language: str
    country: str = ""


def _pending(
    mailing_list: MailingList,
    subscriber: Subscriber,
    source: str,
    widget_key: str = "",
    imported_consent_at: datetime | None = None,
) -> Subscription:
    return Subscription(
        mailing_list=mailing_list,
        address_sealed=seal_address(subscriber.email),
        email_hash=hash_address(subscriber.email),
        language=subscriber.language,
        country=subscriber.country,
        source=source,
        widget_key=widget_key,
        consent_text=mailing_list.consent_text,
        imported_consent_at=imported_consent_at,
    )


def request_subscription(
    mailing_list: MailingList,
    subscriber: Subscriber,
    source: str = Source.FORM,
    widget_key: str = "",
) -> Subscription | None:
    """Store a pending subscription and queue its confirmation mail, in one transaction.

    An address already subscribed creates nothing and is sent nothing; one still pending
    gets its confirmation mail again (the first may be lost). The caller shows the same
    "check your inbox" page either way. A suppressed address may subscribe again this way:
    its owner confirms by mail. Returns the new subscription, or None."""
    hashed = hash_address(subscriber.email)
    try:
        with transaction.atomic():
            existing = (
                Subscription.objects.select_for_update()
                .filter(mailing_list=mailing_list, email_hash=hashed)
                .first()
            )
            if existing is not None:
                if existing.confirmed_at is None:
                    if not can_confirm(existing):
                        # The window ran out: start again, as a new subscription would.
                        existing.created_at = timezone.now()
                        existing.save(update_fields=["created_at"])
                    queue_mail(CONFIRM_MAIL, subscriber.email, existing.language, existing.pk)
                return None
            subscription = _pending(mailing_list, subscriber, source, widget_key)
            subscription.save()
            queue_mail(CONFIRM_MAIL, subscriber.email, subscriber.language, subscription.pk)
    except IntegrityError:
        # The same address subscribed in a parallel request: that one sent the mail.
        return None
    return subscription


def subscribe_from_signing(
    *, email: str, language: str, country: str = "", widget_key: str = "", **_: Any
) -> Subscription | None:
    """The signing form's "send me news" box (reclaim.letters.signals.news_wanted): a
    pending subscription to the list of the signing language, with its own confirmation
    mail. Runs inside the signature's transaction, in a savepoint of its own, so that a
    clash here can never undo the signature."""
    mailing_list = list_for_signing(language)
    if mailing_list is None:
        return None
    subscriber = Subscriber(email=email, language=language, country=country or "")
    try:
        with transaction.atomic():
            return request_subscription(mailing_list, subscriber, Source.SIGNING, widget_key)
    except IntegrityError:  # pragma: no cover - handled inside, kept as a last guard
        return None


def issue_token(subscription: Subscription) -> str:
    """A fresh secret for the confirmation link; only its hash is stored. Made when the
    mail is sent, so no link exists before the mail does."""
    token = new_token()
    Subscription.objects.filter(pk=subscription.pk).update(token_hash=hash_token(token))
    return token


def find_by_token(token: str) -> Subscription | None:
    if not looks_like_token(token):
        return None
    return (
        Subscription.objects.select_related("mailing_list")
        .filter(token_hash=hash_token(token))
        .first()
    )


def confirm_subscription(subscription: Subscription) -> bool:
    """Confirm by POST from the mailed link. The address counts from now; a suppression of
    it on this list is lifted, since its owner has just asked for the mail. Idempotent; an
    expired link confirms nothing (returns False)."""
    with transaction.atomic():
        current = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
        if current is None:
            return False
        if current.confirmed_at is not None:
            return True
        if not can_confirm(current):
            return False
        now = timezone.now()
        current.confirmed_at = now
        current.renewed_at = now
        current.save(update_fields=["confirmed_at", "renewed_at"])
        Suppression.objects.filter(
            mailing_list_id=current.mailing_list_id, email_hash=current.email_hash
        ).delete()
        subscription.confirmed_at = now
        subscription.renewed_at = now
    return True


def renew_subscription(subscription: Subscription) -> None:
    """The reminder's "keep me subscribed" button: expiry counts again from now."""
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=False).update(
        renewed_at=timezone.now(), reminded_at=None
    )
    subscription.refresh_from_db()


def add_confirmed(
    mailing_list: MailingList,
    subscriber: Subscriber,
    confirmed_at: datetime,
    source: str = Source.FORM,
    widget_key: str = "",
) -> Subscription | None:
    """A subscription confirmed already, with no mail: for ``reclaim demo`` only, whose
    invented addresses must never be written to. None if the address is on the list."""
    hashed = hash_address(subscriber.email)
    with transaction.atomic():
        if Subscription.objects.filter(mailing_list=mailing_list, email_hash=hashed).exists():
            return None
        subscription = _pending(mailing_list, subscriber, source, widget_key)
        subscription.created_at = confirmed_at
        subscription.confirmed_at = confirmed_at
        subscription.renewed_at = confirmed_at
        subscription.save()
    return subscription


# --- Unsubscribing ---------------------------------------------------------------------


def unsubscribe(subscription: Subscription, actor: Any = "subscriber", how: str = "page") -> None:
    """Delete the subscription (its sealed address with it) and put the keyed hash on the
    list's suppression list, in one transaction. Idempotent."""
    with transaction.atomic():
        deleted, _rows = Subscription.objects.filter(pk=subscription.pk).delete()
        if not deleted:
            return
        Suppression.objects.get_or_create(
            mailing_list_id=subscription.mailing_list_id, email_hash=subscription.email_hash
        )
        record(
            actor,
            "newsletter.unsubscribe",
            target=f"mailing_list:{subscription.mailing_list_id}",
            count=1,
            how=how,
        )


def erase_for_request(ids: list[int]) -> int:
    """A data-subject request's erasure: each subscription is unsubscribed (deleted, its
    hash suppressed so that no import brings the address back). The caller audits the
    request as a whole."""
    erased = 0
    for subscription in Subscription.objects.filter(pk__in=ids):
        unsubscribe(subscription, actor="privacy request", how="privacy request")
        erased += 1
    return erased


# --- Expiry and retention --------------------------------------------------------------


def expired_unconfirmed() -> QuerySet[Subscription]:
    cutoff = timezone.now() - confirmation_window()
    return Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


def purge_unconfirmed(actor: Any = "purge") -> int:
    """Pending subscriptions past the confirmation window: nobody can confirm them any more.
    No suppression is kept: nobody unsubscribed."""
    with transaction.atomic():
        ids = list(expired_unconfirmed().values_list("pk", flat=True))
        Subscription.objects.filter(pk__in=ids).delete()
        record(actor, "newsletter.purge_unconfirmed", target="subscriptions", count=len(ids))
    return len(ids)


def due_for_reminder(mailing_list: MailingList, now: datetime) -> QuerySet[Subscription]:
    remind_after = max(0, mailing_list.inactive_days - mailing_list.reminder_days)
    return Subscription.objects.filter(
        mailing_list=mailing_list,
        confirmed_at__isnull=False,
        reminded_at__isnull=True,
        renewed_at__lt=now - timedelta(days=remind_after),
    )


def due_for_expiry(mailing_list: MailingList, now: datetime) -> QuerySet[Subscription]:
    """Inactive for the list's period, and reminded at least ``reminder_days`` ago: a
    reminder that went out late (the scheduler was down) still gives its full notice."""
    return Subscription.objects.filter(
        mailing_list=mailing_list,
        confirmed_at__isnull=False,
        reminded_at__isnull=False,
        renewed_at__lt=now - timedelta(days=mailing_list.inactive_days),
        reminded_at__lte=now - timedelta(days=mailing_list.reminder_days),
    )


def send_reminders(now: datetime | None = None) -> int:
    """Queue the "keep me subscribed?" mail to every subscription whose expiry is near, once
    each. The mail is queued in the transaction that marks the row reminded, so a crash
    sends neither or both."""
    now = now or timezone.now()
    sent = 0
    for mailing_list in MailingList.objects.all():
        for subscription in due_for_reminder(mailing_list, now).iterator():
            address = open_address(subscription)
            with transaction.atomic():
                marked = Subscription.objects.filter(
                    pk=subscription.pk, reminded_at__isnull=True
                ).update(reminded_at=now)
                if marked and address:
                    queue_mail(REMINDER_MAIL, address, subscription.language, subscription.pk)
                    sent += 1
    return sent


def expire_inactive(now: datetime | None = None, actor: Any = "purge") -> int:
    """Delete the subscriptions that stayed inactive after their reminder (counts audited)."""
    now = now or timezone.now()
    total = 0
    for mailing_list in MailingList.objects.all():
        with transaction.atomic():
            ids = list(due_for_expiry(mailing_list, now).values_list("pk", flat=True))
            if not ids:
                continue
            Subscription.objects.filter(pk__in=ids).delete()
            record(
                actor, "newsletter.expire", target=f"mailing_list:{mailing_list.pk}", count=len(ids)
            )
        total += len(ids)
    return total


def count_due_for_expiry() -> int:
    now = timezone.now()
    return sum(due_for_expiry(m, now).count() for m in MailingList.objects.all())


def remind_and_expire() -> int:
    """The scheduler's job: reminders first, then expiry of those reminded long enough ago."""
    return send_reminders() + expire_inactive()
