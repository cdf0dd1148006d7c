"""The mails of the signature engine, built when the outbox sends them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from reclaim.letters import services
from reclaim.letters.models import Signature
from reclaim.mail.models import OutgoingMail
from reclaim.mail.services import Letter, builder


def _link(language: str, name: str, token: str) -> str:
    with translation.override(language):
        return reverse(name, args=[token])


def _signature(mail: OutgoingMail) -> Signature | None:
    if mail.object_id is None:
        return None
    return Signature.objects.select_related("petition").filter(pk=mail.object_id).first()


@builder(services.CONFIRM_MAIL)
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


@builder(services.ALREADY_SIGNED_MAIL)
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
