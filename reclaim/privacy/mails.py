"""The mail of data-subject requests, built when the outbox sends it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail
from reclaim.privacy import services
from reclaim.privacy.models import DataRequest


def access(mail: OutgoingMail) -> Letter | None:
    if mail.object_id is None:
        return None
    data_request = DataRequest.objects.filter(pk=mail.object_id).first()
    if data_request is None or data_request.is_expired():
        return None
    found = services.records(data_request)
    link = ""
    if found:
        # The token is made only now, at sending time, so no link exists before the mail
        # does; with nothing found there is nothing to open, and no link at all.
        token = services.issue_token(data_request)
        with translation.override(mail.language):
            link = reverse("privacy:records", args=[token])
    return Letter(
        "privacy-access",
        {
            "found": [(f.label, len(f.rows)) for f in found.values()],
            "link": link,
            "expires_at": data_request.expires_at,
            "request_link": _request_link(mail.language),
        },
    )


def _request_link(language: str) -> str:
    with translation.override(language):
        return reverse("privacy:request")


MAILS = [Mail(services.ACCESS_MAIL, access)]
