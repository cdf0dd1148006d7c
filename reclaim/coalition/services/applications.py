"""Applications to join the coalition: every write of that part goes through a function here.

An application is stored UNCONFIRMED and its contact person gets a mail whose link
confirms it (a POST from the page the link opens; a GET changes nothing). Once confirmed it
is SUBMITTED and the organisers who vet applications are told. They move it through the
states of ``TRANSITIONS``; each step mails the applicant, in the language they applied in,
and is audited. Acceptance makes the organisation a member (unlisted until its profile is
approved) and invites the contact person to a partner account.

The contact person's name and address are personal data: erased ``RECLAIM[
"COALITION_APPLICATION_RETENTION_DAYS"]`` after the decision, or with the whole row when
the application was never confirmed (``retention_applications``), and found by a
data-subject request (``privacy_applications``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from reclaim.accounts import enrolment
from reclaim.accounts.models import EnrolmentLink
from reclaim.accounts.services import staff_recipients
from reclaim.audit.services import record
from reclaim.coalition.models import Application, Description, Organisation, Partner, Principles
from reclaim.coalition.services.partners import make_partner_account
from reclaim.coalition.services.widgets import ensure_widgets
from reclaim.lib.emailhash import email_hash
from reclaim.lib.tokens import hash_token, looks_like_token, new_token
from reclaim.mail.services import queue_mail

State = Application.State

CONFIRM_MAIL = "coalition.application_confirm"
ALREADY_MAIL = "coalition.application_already"
SUBMITTED_MAIL = "coalition.application_submitted"
STATE_MAIL = "coalition.application_state"
INVITATION_MAIL = "coalition.partner_invitation"

# Who is told that an application waits (accounts.services.staff_recipients).
VET_PERMISSION = "coalition.vet_application"

# The states an organiser may move an application to, from each state. Declining is
# possible at every step before a decision (an obvious mismatch need not be "reviewed"
# first); accepting only after a review. Accepted and declined are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.SUBMITTED: (State.UNDER_REVIEW, State.DECLINED),
    State.UNDER_REVIEW: (State.MORE_INFORMATION, State.ACCEPTED, State.DECLINED),
    State.MORE_INFORMATION: (State.UNDER_REVIEW, State.DECLINED),
}
# Still waiting for a decision: an address with one of these cannot apply again (see
# submit_application).
PENDING = (State.UNCONFIRMED, State.SUBMITTED, State.UNDER_REVIEW, State.MORE_INFORMATION)
DECIDED = (State.ACCEPTED, State.DECLINED)


class TransitionRefused(Exception):
    """The application cannot go from its state to the one asked."""

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(f"{current} -> {wanted}")
        self.current = current
        self.wanted = wanted


class NoContact(Exception):
    """The contact person's data was erased: nobody can be invited or mailed."""


class PrinciplesChanged(Exception):
    """The principles the applicant agreed to are no longer the current version."""


@dataclass(frozen=True)
class ApplicationData:
    """What the form gives, checked."""

    name: str
    country: str
    kind: str
    website: str
    description: str
    motivation: str
    contact_name: str
    contact_email: str


# --- Deadlines -----------------------------------------------------------------------


def confirmation_window() -> timedelta:
    # The same window as a signature's: one rule for "how long a confirmation link works".
    return timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])


def retention_period() -> timedelta:
    return timedelta(days=settings.RECLAIM["COALITION_APPLICATION_RETENTION_DAYS"])


def confirmation_deadline(application: Application) -> datetime:
    return application.created_at + confirmation_window()


def erasure_date(application: Application) -> datetime | None:
    """When the contact data goes: after the decision, or with an unconfirmed row at the
    end of its window; None while a confirmed application waits for a decision."""
    if application.decided_at is not None:
        return application.decided_at + retention_period()
    if application.confirmed_at is None:
        return confirmation_deadline(application)
    return None


def can_confirm(application: Application) -> bool:
    return (
        application.state == State.UNCONFIRMED
        and application.personal_data_erased_at is None
        and timezone.now() < confirmation_deadline(application)
    )


# --- Applying and confirming ----------------------------------------------------------


def pending_for(address_hash: str) -> Application | None:
    """An application from this address still waiting for a decision (an unconfirmed one
    only while it can still be confirmed)."""
    cutoff = timezone.now() - confirmation_window()
    waiting = Application.objects.filter(email_hash=address_hash, state__in=PENDING).exclude(
        state=State.UNCONFIRMED, created_at__lt=cutoff
    )
    return waiting.order_by("-created_at").first()


def submit_application(
    data: ApplicationData, principles: Principles, language: str
) -> Application | None:
    """Store an application and queue its confirmation mail, in one transaction.

    An address that has an application waiting for a decision creates nothing: it gets a
    mail saying so (with a fresh confirmation link if that one is not confirmed yet), and
    the caller shows the same "check your inbox" page either way, so the form does not
    tell a visitor which addresses have applied. Returns the new application, or None.
    """
    hashed = email_hash(data.contact_email)
    with transaction.atomic():
        current = Principles.objects.order_by("-version").first()
        if current is None or current.pk != principles.pk:
            raise PrinciplesChanged
        existing = pending_for(hashed)
        if existing is not None:
            queue_mail(ALREADY_MAIL, data.contact_email, language, existing.pk)
            return None
        application = Application.objects.create(
            name=data.name,
            country=data.country,
            kind=data.kind,
            website=data.website,
            description=data.description,
            motivation=data.motivation,
            contact_name=data.contact_name,
            contact_email=data.contact_email,
            email_hash=hashed,
            language=language,
            principles=principles,
        )
        queue_mail(CONFIRM_MAIL, data.contact_email, language, application.pk)
    return application


def issue_token(application: Application) -> str:
    """A fresh secret for the confirmation link; only its hash is stored. Made when the
    mail is sent, so no link exists before the mail does."""
    token = new_token()
    Application.objects.filter(pk=application.pk).update(token_hash=hash_token(token))
    return token


def find_by_token(token: str) -> Application | None:
    if not looks_like_token(token):
        return None
    return Application.objects.filter(
        token_hash=hash_token(token), personal_data_erased_at__isnull=True
    ).first()


def confirm_application(application: Application) -> bool:
    """Confirm by POST from the mailed link: the application is SUBMITTED and the
    organisers who vet applications get a mail each, in their language. Idempotent;
    an expired link confirms nothing (returns False)."""
    if application.confirmed_at is not None:
        return True
    if not can_confirm(application):
        return False
    now = timezone.now()
    with transaction.atomic():
        updated = Application.objects.filter(
            pk=application.pk, state=State.UNCONFIRMED, confirmed_at__isnull=True
        ).update(state=State.SUBMITTED, confirmed_at=now)
        if not updated:  # confirmed by a second click meanwhile: nothing more to say
            return True
        for address, language in staff_recipients(VET_PERMISSION):
            queue_mail(SUBMITTED_MAIL, address, language, application.pk)
    application.state = State.SUBMITTED
    application.confirmed_at = now
    return True


# --- Vetting --------------------------------------------------------------------------


def allowed_transitions(application: Application) -> tuple[str, ...]:
    return TRANSITIONS.get(application.state, ())


def _check_transition(application: Application, wanted: str) -> None:
    if wanted not in allowed_transitions(application):
        raise TransitionRefused(application.state, wanted)


def _locked(application: Application) -> Application:
    """The row again, locked for the caller's transaction: two organisers acting at once
    must not both move it from the same state."""
    return Application.objects.select_for_update().get(pk=application.pk)


def _notify_applicant(application: Application, state: str, message: str = "") -> None:
    """The applicant's mail about the new state, unless their address is gone."""
    if not application.contact_email:
        return
    params = {"state": state}
    if message:
        # The organiser's words for the applicant: kept in the outbox only until sent.
        params["message"] = message
    queue_mail(STATE_MAIL, application.contact_email, application.language, application.pk, params)


def change_state(application: Application, wanted: str, actor: Any, message: str = "") -> None:
    """Move the application to ``wanted`` (any state but ACCEPTED: see accept_application),
    mail the applicant and audit it. ``message`` goes to the applicant: the question when
    more information is asked, the optional reason of a decline."""
    if wanted == State.ACCEPTED:
        raise TransitionRefused(application.state, wanted)
    with transaction.atomic():
        row = _locked(application)
        _check_transition(row, wanted)
        row.state = wanted
        fields = ["state"]
        if wanted in DECIDED:
            row.decided_at = timezone.now()
            fields.append("decided_at")
        row.save(update_fields=fields)
        _notify_applicant(row, wanted, message.strip())
        record(
            actor,
            f"coalition.application_{wanted}",
            target=f"application:{row.pk}",
            count=1,
            previous=application.state,
            with_message=bool(message.strip()),
        )
    application.state = row.state
    application.decided_at = row.decided_at


def add_note(application: Application, actor: Any, text: str) -> None:
    """An organiser's internal note: never shown or mailed to the applicant."""
    with transaction.atomic():
        application.notes.create(author=actor, text=text.strip())
        record(actor, "coalition.application_note", target=f"application:{application.pk}")


# --- Acceptance -------------------------------------------------------------------------


def unique_slug(name: str) -> str:
    """A slug for the organisation's address, made unique with -2, -3..."""
    base = slugify(name)[:70].strip("-") or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _unique_username(address: str) -> str:
    User = get_user_model()
    base = address.strip().lower()[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _description_language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def accept_application(
    application: Application, actor: Any, tier: str = Organisation.Tier.PARTNER
) -> Organisation:
    """Accept: the organisation becomes a member (listed only once organisers approve its
    profile: ``profile_approved_at`` stays empty), its first partner account is created
    for the contact person, and they are mailed the acceptance and an invitation link to
    set a password and then their second factor."""
    if tier not in Organisation.Tier.values:
        raise ValueError(f"{tier!r} is not a tier.")
    with transaction.atomic():
        row = _locked(application)
        _check_transition(row, State.ACCEPTED)
        if not row.contact_email:
            raise NoContact
        organisation = Organisation.objects.create(
            name=row.name,
            slug=unique_slug(row.name),
            country=row.country,
            kind=row.kind,
            website=row.website,
            tier=tier,
            status=Organisation.Status.MEMBER,
            joined_on=timezone.localdate(),
        )
        Description.objects.create(
            organisation=organisation,
            language=_description_language(row.language),
            text=row.description,
        )
        row.state = State.ACCEPTED
        row.decided_at = timezone.now()
        row.organisation = organisation
        row.save(update_fields=["state", "decided_at", "organisation"])
        user = _create_partner_account(row, organisation, actor)
        # A widget for each open campaign from the first day (the scheduler tops them up).
        ensure_widgets(organisation, actor)
        _notify_applicant(row, State.ACCEPTED)
        record(
            actor,
            "coalition.application_accepted",
            target=f"application:{row.pk}",
            count=1,
            organisation=organisation.pk,
            tier=tier,
            user=user.pk,
        )
    application.state = row.state
    application.decided_at = row.decided_at
    application.organisation = organisation
    return organisation


def _create_partner_account(
    application: Application, organisation: Organisation, actor: Any
) -> Any:
    """The contact person's account: no usable password until they set one through the
    invitation, not Django staff, linked to the organisation, in the partners' role."""
    user = make_partner_account(
        organisation,
        application.contact_email,
        actor,
        language=application.language,
        username=_unique_username(application.contact_email),
    )
    _invite(user, application.language, actor)
    return user


def _invite(user: Any, language: str, actor: Any) -> EnrolmentLink:
    """An enrolment link (reclaim.accounts.enrolment: single use, expires after
    ENROLMENT_LINK_HOURS, only its hash kept) mailed as the partner's invitation. It opens
    our set-password page first; the same link then lets the session set up the second
    factor, and is used up there."""
    # Replaces any earlier link: only the newest invitation works.
    link = enrolment.issue_link(user, actor, "invitation")
    queue_mail(INVITATION_MAIL, user.email, language, link.pk)
    return link


def invited_user(application: Application) -> Any | None:
    """The partner account made when the application was accepted (the organisation's
    first), or None."""
    if application.organisation_id is None:
        return None
    partner = (
        Partner.objects.filter(organisation_id=application.organisation_id)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return partner.user if partner is not None else None


def resend_invitation(application: Application, actor: Any) -> EnrolmentLink:
    """A new invitation for the accepted application's partner account: the earlier link
    stops working."""
    user = invited_user(application)
    if user is None or not user.email:
        raise NoContact
    with transaction.atomic():
        link = _invite(user, application.language, actor)
        record(
            actor,
            "coalition.invitation_resend",
            target=f"application:{application.pk}",
            count=1,
            user=user.pk,
        )
    return link


# --- The invitation -------------------------------------------------------------------


class InvitationInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown", "used" or "expired"


def invitation_for(token: str) -> EnrolmentLink:
    """The usable invitation behind ``token``: an enrolment link of a partner account."""
    if not looks_like_token(token):
        raise InvitationInvalid("unknown")
    link = (
        EnrolmentLink.objects.filter(token_hash=hash_token(token), user__partner__isnull=False)
        .select_related("user")
        .first()
    )
    if link is None:
        raise InvitationInvalid("unknown")
    if link.used_at is not None:
        raise InvitationInvalid("used")
    if link.is_expired():
        raise InvitationInvalid("expired")
    return link


def set_partner_password(link: EnrolmentLink, password: str) -> Any:
    """The invited partner's password. The link stays usable for the second factor that
    follows: it is used up when that is set up (accounts.enrolment)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=link.user_id)
        user.set_password(password)
        user.save(update_fields=["password"])
        record(user, "coalition.partner_password_set", target=f"user:{user.pk}", count=1)
    return user


# --- Retention and erasure ---------------------------------------------------------------


def erasable_decided() -> QuerySet[Application]:
    """Decided applications whose contact data is past its retention period."""
    cutoff = timezone.now() - retention_period()
    return Application.objects.filter(
        state__in=DECIDED, decided_at__lt=cutoff, personal_data_erased_at__isnull=True
    )


def expired_unconfirmed() -> QuerySet[Application]:
    cutoff = timezone.now() - confirmation_window()
    return Application.objects.filter(state=State.UNCONFIRMED, created_at__lt=cutoff)


def _erase_contacts(queryset: QuerySet[Application]) -> int:
    return queryset.update(
        contact_name="",
        contact_email="",
        email_hash="",
        token_hash="",
        personal_data_erased_at=timezone.now(),
    )


def purge_decided(actor: Any = "purge") -> int:
    """Erase the contact person of decided applications past the retention period. The
    application itself stays (it is about an organisation), without anyone's name."""
    with transaction.atomic():
        ids = list(erasable_decided().values_list("pk", flat=True))
        count = _erase_contacts(Application.objects.filter(pk__in=ids))
        record(actor, "coalition.application_purge", target="applications", count=count)
    return count


def purge_unconfirmed(actor: Any = "purge") -> int:
    """Unconfirmed applications past the confirmation window: nobody can confirm them any
    more, so the rows go entirely (their notes with them)."""
    with transaction.atomic():
        ids = list(expired_unconfirmed().values_list("pk", flat=True))
        Application.objects.filter(pk__in=ids).delete()
        record(
            actor, "coalition.application_purge_unconfirmed", target="applications", count=len(ids)
        )
    return len(ids)


def erase_for_request(ids: list[int]) -> int:
    """A data-subject request's erasure: an unconfirmed application goes entirely (it was
    never more than a request to confirm), the others lose their contact person. The
    caller audits the request as a whole."""
    with transaction.atomic():
        found = Application.objects.filter(pk__in=ids, personal_data_erased_at__isnull=True)
        unconfirmed = list(found.filter(state=State.UNCONFIRMED).values_list("pk", flat=True))
        Application.objects.filter(pk__in=unconfirmed).delete()
        erased = _erase_contacts(found.exclude(pk__in=unconfirmed))
    return len(unconfirmed) + erased
