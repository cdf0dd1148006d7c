"""Enrolment links: the out-of-band step before a staff member sets up their second factor.

The authenticator app is meant to be a second factor, held by the person who knows the
password. If knowing the password were enough to choose the app, a stolen password would
enrol the thief's phone and pass both factors. So an app is set up only through a link
issued to the staff member: mailed through the outbox to their address (in the language of
their staff mail) by an organiser, or printed by ``reclaim staff_totp --link`` for whoever
runs it to hand over. A link works once and for ``RECLAIM["ENROLMENT_LINK_HOURS"]``; the
token is in the link only, its hash in the database (for a mailed link it is made when the
mail is sent, so no link exists before the mail does).

Opening the link shows a page whose button (a POST: mail scanners follow links, so a GET
changes nothing) lets the signed-in staff member's session set up an app. The link is used
up when the first code from the new app is confirmed (``services.verify_code``); that app
then replaces any the account had, so a link also serves for a lost or new phone.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts.models import EnrolmentLink, StaffProfile
from reclaim.audit.services import record
from reclaim.lib.tokens import hash_token, looks_like_token, new_token
from reclaim.mail.services import queue_mail

ENROLMENT_MAIL = "accounts.enrolment"
# The session remembers the hash of the link it was opened with: a link issued again
# afterwards (a new token) does not carry over.
SESSION_KEY = "reclaim.accounts.enrolment"


class LinkInvalid(Exception):
    """The token names no link of this staff member, or its link is used or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown", "used" or "expired"


class NoAddress(ValueError):
    """The staff member has no email address to send a link to."""


def lifetime() -> timedelta:
    return timedelta(hours=int(settings.RECLAIM["ENROLMENT_LINK_HOURS"]))


def staff_language(user: Any) -> str:
    """The language of the staff member's mail (``StaffProfile``)."""
    profile = StaffProfile.objects.filter(user=user).first()
    return profile.language if profile is not None else settings.LANGUAGE_CODE


def issue_link(user: Any, actor: Any, by: str) -> EnrolmentLink:
    """A fresh link for ``user``, replacing the one they had (call inside a transaction).
    ``by`` says how it travels (the audit entry keeps it); the caller sends it: an app that
    mails its own invitation (reclaim.coalition's partners) queues its own mail."""
    now = timezone.now()
    EnrolmentLink.objects.filter(user=user).delete()
    link = EnrolmentLink.objects.create(user=user, issued_at=now, expires_at=now + lifetime())
    record(
        actor,
        "account.enrolment_link_issued",
        target=f"user:{user.pk}",
        count=1,
        by=by,
        hours=int(lifetime().total_seconds() // 3600),
    )
    return link


def send_link(user: Any, actor: Any) -> EnrolmentLink:
    """Issue a link to ``user`` and queue the mail that carries it."""
    if not user.email:
        raise NoAddress(f"{user.get_username()} has no email address.")
    with transaction.atomic():
        link = issue_link(user, actor, "mail")
        queue_mail(ENROLMENT_MAIL, user.email, staff_language(user), object_id=link.pk)
    return link


def hand_over_link(user: Any, actor: Any) -> str:
    """Issue a link to ``user`` now and return its full address, for whoever issued it to
    pass on in person or over a channel they trust."""
    with transaction.atomic():
        link = issue_link(user, actor, "hand-over")
        token = make_token(link)
    return settings.BASE_URL + path_for(token, staff_language(user))


def make_token(link: EnrolmentLink) -> str:
    """The link's secret, made now; only its hash is kept. Any earlier token stops working."""
    token = new_token()
    EnrolmentLink.objects.filter(pk=link.pk).update(token_hash=hash_token(token))
    return token


def path_for(token: str, language: str) -> str:
    with translation.override(language):
        return reverse("accounts:enrol", args=[token])


def link_for(token: str, user: Any) -> EnrolmentLink:
    """The usable link behind ``token`` for ``user``; LinkInvalid if there is none.

    A link of another account is "unknown": whoever holds it must sign in as the staff
    member it was issued to, with their password.
    """
    if not looks_like_token(token):
        raise LinkInvalid("unknown")
    link = EnrolmentLink.objects.filter(token_hash=hash_token(token), user=user).first()
    if link is None:
        raise LinkInvalid("unknown")
    if link.used_at is not None:
        raise LinkInvalid("used")
    if link.is_expired():
        raise LinkInvalid("expired")
    return link


def open_link(request: HttpRequest, link: EnrolmentLink) -> None:
    """Let this session set up an authenticator app, until the link is used or expires."""
    # A QR code shown before the link was opened (to whoever had the password, say) must
    # not become the device: the app is set up afresh.
    TOTPDevice.objects.devices_for_user(request.user, confirmed=False).delete()
    request.session[SESSION_KEY] = link.token_hash


def opened_link(request: HttpRequest) -> EnrolmentLink | None:
    """The link this session was opened with, while it is still usable."""
    token_hash = request.session.get(SESSION_KEY)
    if not token_hash:
        return None
    user: Any = request.user
    link = EnrolmentLink.objects.filter(token_hash=token_hash, user=user).first()
    if link is None or link.used_at is not None or link.is_expired():
        del request.session[SESSION_KEY]
        return None
    return link


def use_opened_link(request: HttpRequest) -> EnrolmentLink | None:
    """Lock the session's link for the caller's transaction: the link, if still usable.

    The caller marks it used with ``mark_used`` once the new app's first code is right;
    the row lock (on PostgreSQL; SQLite's single writer on its own) means two requests
    cannot both enrol with one link.
    """
    token_hash = request.session.get(SESSION_KEY)
    if not token_hash:
        return None
    user: Any = request.user
    links = EnrolmentLink.objects.select_for_update()
    link = links.filter(token_hash=token_hash, user=user).first()
    if link is None or link.used_at is not None or link.is_expired():
        return None
    return link


def mark_used(request: HttpRequest, link: EnrolmentLink) -> None:
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    request.session.pop(SESSION_KEY, None)
