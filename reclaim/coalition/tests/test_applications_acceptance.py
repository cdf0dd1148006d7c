"""Acceptance: the member organisation, the partner account and its invitation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from reclaim.accounts import enrolment
from reclaim.accounts.models import EnrolmentLink
from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import Application, Organisation, Partner
from reclaim.coalition.tests.fixtures_applications import (
    INVITATION_LINK,
    link_in,
    make_application,
    principles_fixture,  # noqa: F401
)
from reclaim.mail.services import deliver_pending

pytestmark = pytest.mark.django_db
State = Application.State


@pytest.fixture
def accepted(
    as_user: Any, organiser: Any, principles: Any, django_capture_on_commit_callbacks: Any
) -> Application:
    application = make_application(principles, State.UNDER_REVIEW, language="de")
    mail.outbox.clear()
    deliver_pending()
    mail.outbox.clear()
    response = as_user(organiser).post(
        f"/en/coalition/join/staff/{application.pk}/transition/",
        {"state": State.ACCEPTED, "tier": Organisation.Tier.SUPPORTER},
    )
    assert response.status_code == 302
    deliver_pending()
    application.refresh_from_db()
    return application


def _invitation(message_index: int = -1) -> str:
    invitations = [m for m in mail.outbox if INVITATION_LINK.search(m.body)]
    return link_in(INVITATION_LINK, invitations[message_index])


def test_acceptance_makes_an_unlisted_member_with_the_chosen_tier(accepted: Application) -> None:
    organisation = accepted.organisation
    assert accepted.state == State.ACCEPTED
    assert accepted.decided_at is not None
    assert organisation is not None
    assert organisation.status == Organisation.Status.MEMBER
    assert organisation.tier == Organisation.Tier.SUPPORTER
    assert organisation.joined_on == timezone.localdate()
    assert organisation.profile_approved_at is None
    assert not organisation.is_listed
    assert organisation.slug == "surveillance-watch"
    assert organisation.website == "https://watch.example.org"
    [description] = organisation.descriptions.all()
    assert description.language == "de"
    assert description.text == "We document cameras in public places."
    assert AuditEntry.objects.filter(
        action="coalition.application_accepted", actor="alice"
    ).exists()


def test_acceptance_makes_a_partner_account_without_a_password_or_the_admin(
    accepted: Application, client: Client
) -> None:
    [partner] = Partner.objects.all()
    user = partner.user
    assert partner.organisation == accepted.organisation
    assert user.email == "anna@watch.example.org"
    assert user.username == "anna@watch.example.org"
    assert not user.has_usable_password()
    assert not user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Partners"]
    client.force_login(user)
    response = client.get("/en/admin/", follow=True)
    assert response.redirect_chain
    assert "login" in response.redirect_chain[-1][0]


def test_the_applicant_gets_the_acceptance_and_an_invitation_in_their_language(
    accepted: Application,
) -> None:
    assert len(mail.outbox) == 2
    # In German, the language the applicant applied in.
    assert any("Willkommen in der Koalition" in m.body for m in mail.outbox)
    link = _invitation()
    assert link.startswith("/de/coalition/join/invitation/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    stored = EnrolmentLink.objects.get()
    assert stored.token_hash and token not in stored.token_hash
    assert stored.expires_at <= timezone.now() + enrolment.lifetime()


def test_a_second_organisation_of_the_same_name_gets_its_own_address(
    accepted: Application, principles: Any
) -> None:
    from reclaim.coalition.services import applications as services

    other = make_application(principles, State.UNDER_REVIEW, email="x@other.example.org")
    organisation = services.accept_application(other, "test")
    assert organisation.slug == "surveillance-watch-2"


def test_opening_the_invitation_shows_the_password_form_and_changes_nothing(
    accepted: Application, client: Client
) -> None:
    response = client.get(_invitation())
    assert response.status_code == 200
    assert b"new_password1" in response.content
    user = get_user_model().objects.get(partner__isnull=False)
    assert not user.has_usable_password()


def test_the_invitation_sets_the_password_then_hands_over_to_the_second_factor(
    accepted: Application, client: Client
) -> None:
    link = _invitation()
    response = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 400
    assert not get_user_model().objects.get(partner__isnull=False).has_usable_password()
    password = "a long and unusual passphrase 42"
    response = client.post(link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/en/accounts/two-factor/")
        or "two-factor" in (response["Location"])
    )
    user = get_user_model().objects.get(partner__isnull=False)
    assert user.check_password(password)
    # Signed in, and the session may now set up an authenticator with the same link.
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[enrolment.SESSION_KEY] == EnrolmentLink.objects.get().token_hash
    assert AuditEntry.objects.filter(action="coalition.partner_password_set").exists()


def test_an_expired_invitation_shows_a_clear_page_and_changes_nothing(
    accepted: Application, client: Client, settings: Any
) -> None:
    link = _invitation()
    EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(link)
    assert response.status_code == 410
    assert "Diese Einladung ist abgelaufen" in response.content.decode()
    password = "a long and unusual passphrase 42"
    response = client.post(link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 410
    assert not get_user_model().objects.get(partner__isnull=False).has_usable_password()


def test_a_used_invitation_shows_a_clear_page(accepted: Application, client: Client) -> None:
    link = _invitation()
    EnrolmentLink.objects.update(used_at=timezone.now())
    response = client.get(link)
    assert response.status_code == 410
    assert "Diese Einladung wurde verwendet" in response.content.decode()


def test_an_unknown_invitation_shows_a_clear_page(client: Client, db: Any) -> None:
    response = client.get("/en/coalition/join/invitation/nothing-like-it/")
    assert response.status_code == 404
    assert b"This invitation is not valid" in response.content


def test_a_staff_enrolment_link_is_not_an_invitation(
    client: Client, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    organiser.email = "alice@campaign.example.org"
    organiser.save()
    link = enrolment.hand_over_link(organiser, "test")
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.get(f"/en/coalition/join/invitation/{token}/")
    assert response.status_code == 404


def test_an_organiser_can_send_a_new_invitation_and_the_old_one_stops_working(
    accepted: Application, as_user: Any, organiser: Any, client: Client
) -> None:
    old = _invitation()
    EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    mail.outbox.clear()
    response = as_user(organiser).post(f"/en/coalition/join/staff/{accepted.pk}/invitation/")
    assert response.status_code == 302
    deliver_pending()
    new = _invitation()
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert AuditEntry.objects.filter(action="coalition.invitation_resend").exists()


def test_acceptance_is_refused_once_the_contact_was_erased(
    as_user: Any, organiser: Any, principles: Any
) -> None:
    application = make_application(principles, State.UNDER_REVIEW)
    Application.objects.update(contact_email="", contact_name="")
    response = as_user(organiser).post(
        f"/en/coalition/join/staff/{application.pk}/transition/", {"state": State.ACCEPTED}
    )
    assert response.status_code == 409
    assert not Organisation.objects.exists()
    assert Application.objects.get().state == State.UNDER_REVIEW


def test_acceptance_gives_the_member_a_widget_for_each_open_petition(
    as_user: Any, organiser: Any, principles: Any, petition: Any, letter: Any
) -> None:
    application = make_application(principles, State.UNDER_REVIEW, language="fr")
    response = as_user(organiser).post(
        f"/en/coalition/join/staff/{application.pk}/transition/",
        {"state": State.ACCEPTED, "tier": Organisation.Tier.PARTNER},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.organisation is not None
    widgets = application.organisation.widgets.all()
    assert {w.petition_id for w in widgets} == {petition.pk, letter.pk}
    assert all(w.retired_at is None and len(w.key) >= 16 for w in widgets)
