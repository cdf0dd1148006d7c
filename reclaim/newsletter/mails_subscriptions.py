"""The mails about subscriptions, built when the outbox sends them (listed in ``mails.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail
from reclaim.newsletter.models import Subscription
from reclaim.newsletter.services import subscriptions as services


def _path(language: str, name: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=list(args))


def _subscription(mail: OutgoingMail) -> Subscription | None:
    if mail.object_id is None:
        return None
    return Subscription.objects.select_related("mailing_list").filter(pk=mail.object_id).first()


def confirmation(mail: OutgoingMail) -> Letter | None:
    subscription = _subscription(mail)
    if subscription is None or not services.can_confirm(subscription):
        return None
    # The token is made now, at sending time, so no link exists before the mail does.
    token = services.issue_token(subscription)
    return Letter(
        "newsletter-confirm",
        {
            "mailing_list": subscription.mailing_list,
            "link": _path(mail.language, "newsletter:confirm", token),
            "deadline": services.confirmation_deadline(subscription),
            "imported": subscription.source == Subscription.Source.IMPORT,
        },
    )


def reminder(mail: OutgoingMail) -> Letter | None:
    subscription = _subscription(mail)
    if subscription is None or subscription.confirmed_at is None:
        return None
    return Letter(
        "newsletter-reminder",
        {
            "mailing_list": subscription.mailing_list,
            "link": _path(mail.language, "newsletter:renew", services.renew_token(subscription)),
            "expires_at": services.expiry_date(subscription),
            "unsubscribe": services.unsubscribe_url(subscription),
        },
    )


MAILS = [
    Mail(services.CONFIRM_MAIL, confirmation),
    Mail(services.REMINDER_MAIL, reminder),
]
