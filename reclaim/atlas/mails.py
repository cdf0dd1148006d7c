"""The atlas's mails, built when the outbox sends them. Each part adds its own in its own
section."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from reclaim.atlas.models import Report
from reclaim.atlas.services import reports as report_services
from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail

# --- reports: the opt-in of a report's contact address ----------------------------------


def report_contact_confirm(mail: OutgoingMail) -> Letter | None:
    """The opt-in, in the report's language: a link to the page whose button confirms."""
    if mail.object_id is None:
        return None
    report = Report.objects.filter(pk=mail.object_id).first()
    if report is None or not report_services.can_confirm_contact(report):
        return None
    # The link is made now, at sending time, so no link exists before the mail does.
    with translation.override(mail.language):
        link = reverse("atlas:report_contact_confirm", args=[report_services.contact_token(report)])
    return Letter(
        "atlas-report-contact-confirm",
        {
            "link": link,
            "deadline": report.created_at + report_services.confirmation_window(),
            "deletion_date": report.contact_delete_after,
        },
    )


MAILS = [
    # --- reports ---------------------------------------------------------------------------
    Mail(report_services.CONTACT_CONFIRM_MAIL, report_contact_confirm),
]
