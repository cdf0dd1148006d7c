"""The partner area's mail: an organiser's decision on a profile change (listed in
``mails.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from reclaim.coalition.models import ProfileChange
from reclaim.coalition.services.profile_changes import DECIDED_MAIL
from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail


def change_decided(mail: OutgoingMail) -> Letter | None:
    """Approved or rejected, with the reason; nothing if the change is gone (the
    organisation was deleted meanwhile)."""
    if mail.object_id is None:
        return None
    change = ProfileChange.objects.select_related("organisation").filter(pk=mail.object_id).first()
    if change is None or change.state == ProfileChange.State.PENDING:
        return None
    with translation.override(mail.language):
        link = reverse("coalition:partner_change", args=[change.organisation.slug, change.pk])
    return Letter(
        "coalition-profile-change",
        {
            "organisation": change.organisation.name,
            "approved": change.state == ProfileChange.State.APPROVED,
            "reason": change.reason,
            "link": link,
        },
    )


MAILS = [Mail(DECIDED_MAIL, change_decided)]
