"""The mails about applications to join, built when the outbox sends them (listed in
``mails.py``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from reclaim.accounts import enrolment
from reclaim.accounts.models import EnrolmentLink
from reclaim.coalition.models import Application
from reclaim.coalition.services import applications as services
from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail


def _path(language: str, name: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=list(args))


def _application(mail: OutgoingMail) -> Application | None:
    if mail.object_id is None:
        return None
    return Application.objects.select_related("principles").filter(pk=mail.object_id).first()


def _reply_headers() -> dict[str, str]:
    reply_to = settings.RECLAIM.get("COALITION_REPLY_TO", "")
    return {"Reply-To": reply_to} if reply_to else {}


def confirmation(mail: OutgoingMail) -> Letter | None:
    application = _application(mail)
    if application is None or not services.can_confirm(application):
        return None
    # The token is made now, at sending time, so no link exists before the mail does.
    token = services.issue_token(application)
    return Letter(
        "coalition-application-confirm",
        {
            "application": application,
            "link": _path(mail.language, "coalition:apply_confirm", token),
            "deadline": services.confirmation_deadline(application),
        },
    )


def already_applied(mail: OutgoingMail) -> Letter | None:
    application = _application(mail)
    if application is None:
        return None
    link = ""
    if services.can_confirm(application):
        # Never confirmed: the first mail may be lost, so this one carries a new link.
        link = _path(mail.language, "coalition:apply_confirm", services.issue_token(application))
    return Letter(
        "coalition-application-already",
        {"application": application, "link": link, "confirmed": application.confirmed_at},
    )


def submitted(mail: OutgoingMail) -> Letter | None:
    """To an organiser who vets applications: one is waiting."""
    application = _application(mail)
    if application is None or application.state != Application.State.SUBMITTED:
        return None
    return Letter(
        "coalition-application-submitted",
        {
            "application": application,
            "link": _path(mail.language, "coalition:applications_detail", application.pk),
        },
    )


def state_changed(mail: OutgoingMail) -> Letter | None:
    application = _application(mail)
    if application is None:
        return None
    state = str(mail.params.get("state", ""))
    if state not in Application.State.values:
        return None
    with translation.override(mail.language):
        state_label = str(Application.State(state).label)
    return Letter(
        "coalition-application-state",
        {
            "application": application,
            "state": state,
            "state_label": state_label,
            "message": str(mail.params.get("message", "")),
            "reply_to": settings.RECLAIM.get("COALITION_REPLY_TO", ""),
        },
        headers=_reply_headers(),
    )


def invitation(mail: OutgoingMail) -> Letter | None:
    """The partner's invitation: nothing once the link was used, expired or replaced."""
    if mail.object_id is None:
        return None
    link = EnrolmentLink.objects.filter(pk=mail.object_id).select_related("user").first()
    if link is None or link.used_at is not None or link.is_expired():
        return None
    partner = getattr(link.user, "partner", None)
    if partner is None:
        return None
    token = enrolment.make_token(link)
    return Letter(
        "coalition-application-invitation",
        {
            "organisation": partner.organisation,
            "username": link.user.get_username(),
            "link": _path(mail.language, "coalition:apply_invitation", token),
            "expires_at": link.expires_at,
        },
    )


MAILS = [
    Mail(services.CONFIRM_MAIL, confirmation),
    Mail(services.ALREADY_MAIL, already_applied),
    Mail(services.SUBMITTED_MAIL, submitted),
    Mail(services.STATE_MAIL, state_changed),
    Mail(services.INVITATION_MAIL, invitation),
]
