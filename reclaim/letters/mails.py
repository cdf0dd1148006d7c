"""The mails of the signature engine, built when the outbox sends them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from reclaim.letters import services
from reclaim.letters.models import Signature
from reclaim.letters.moderation import trending
from reclaim.letters.moderation.models import Alert
from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail


def _link(language: str, name: str, token: str) -> str:
    with translation.override(language):
        return reverse(name, args=[token])


def _signature(mail: OutgoingMail) -> Signature | None:
    if mail.object_id is None:
        return None
    return Signature.objects.select_related("petition").filter(pk=mail.object_id).first()


def confirmation(mail: OutgoingMail) -> Letter | None:
    signature = _signature(mail)
    if signature is None or signature.confirmed_at is not None:
        return None
    # The token is made only now, at sending time, so no link exists before the mail does.
    token = services.issue_token(signature)
    return Letter(
        "letters-confirm",
        {
            "petition": signature.petition,
            "signature": signature,
            "link": _link(mail.language, "letters:link", token),
            "deadline": services.confirmation_deadline(signature),
        },
    )


def already_signed(mail: OutgoingMail) -> Letter | None:
    signature = _signature(mail)
    if signature is None:
        return None
    link = ""
    if services.can_confirm(signature):
        # They signed but never confirmed: the earlier mail may be lost, so send a new link.
        link = _link(mail.language, "letters:link", services.issue_token(signature))
    return Letter(
        "letters-already-signed",
        {
            "petition": signature.petition,
            "confirmed": signature.confirmed_at is not None,
            "link": link,
        },
    )


def alert(mail: OutgoingMail) -> Letter | None:
    """To a staff member who may invalidate signatures: the alerts of one detection run,
    described in their language. Nothing to say once every alert is resolved."""
    ids = [int(pk) for pk in mail.params.get("alerts", [])]
    alerts = list(
        Alert.objects.filter(pk__in=ids, resolved_at__isnull=True)
        .select_related("petition")
        .order_by("pk")
    )
    if not alerts:
        return None
    with translation.override(mail.language):
        items = [(item, trending.describe(item)) for item in alerts]
    return Letter("letters-alert", {"items": items})


MAILS = [
    Mail(services.CONFIRM_MAIL, confirmation),
    Mail(services.ALREADY_SIGNED_MAIL, already_signed),
    Mail(trending.ALERT_MAIL, alert),
]
