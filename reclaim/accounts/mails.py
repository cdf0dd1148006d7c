"""The staff accounts' mail: the enrolment link, built when the outbox sends it."""

from __future__ import annotations

from reclaim.accounts import enrolment
from reclaim.accounts.models import EnrolmentLink
from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail


def enrolment_link(mail: OutgoingMail) -> Letter | None:
    """The link, with a token made only now; nothing once the link was used, expired or
    replaced by a newer one (which deletes this one)."""
    if mail.object_id is None:
        return None
    link = EnrolmentLink.objects.filter(pk=mail.object_id).select_related("user").first()
    if link is None or link.used_at is not None or link.is_expired():
        return None
    token = enrolment.make_token(link)
    return Letter(
        "accounts-enrolment",
        {
            "username": link.user.get_username(),
            "link": enrolment.path_for(token, mail.language),
            "expires_at": link.expires_at,
        },
    )


MAILS = [Mail(enrolment.ENROLMENT_MAIL, enrolment_link)]
