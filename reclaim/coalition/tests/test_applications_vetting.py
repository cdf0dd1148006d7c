"""Organisers vet applications: who may, the states, the mails, the notes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import Application
from reclaim.coalition.tests.fixtures_applications import (
    make_application,
    principles_fixture,  # noqa: F401
)
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db
State = Application.State


def _staff_urls(application: Application) -> list[tuple[str, str]]:
    base = "/en/coalition/join/staff/"
    return [
        ("get", base),
        ("get", f"{base}principles/"),
        ("get", f"{base}{application.pk}/"),
        ("post", f"{base}{application.pk}/transition/"),
        ("post", f"{base}{application.pk}/note/"),
        ("post", f"{base}{application.pk}/invitation/"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, principles: Any) -> None:
    application = make_application(principles)
    for method, url in _staff_urls(application):
        response = getattr(client, method)(url, {"state": State.UNDER_REVIEW})
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]
    assert Application.objects.get().state == State.SUBMITTED


@pytest.mark.parametrize("persona", ["moderator", "outsider"])
def test_staff_without_the_permission_cannot_see_or_do_anything(
    request: Any, as_user: Any, principles: Any, persona: str
) -> None:
    client = as_user(request.getfixturevalue(persona))
    application = make_application(principles)
    for method, url in _staff_urls(application):
        response = getattr(client, method)(url, {"state": State.UNDER_REVIEW, "text": "x"})
        assert response.status_code == 403, url
    assert Application.objects.get().state == State.SUBMITTED
    assert not application.notes.exists()


def test_staff_pages_ask_for_the_second_factor(
    client: Client, organiser: Any, principles: Any, settings: Any
) -> None:
    settings.RECLAIM = settings.RECLAIM | {"REQUIRE_2FA": True}
    client.force_login(organiser)
    response = client.get("/en/coalition/join/staff/")
    assert response.status_code == 302
    assert "two-factor" in response["Location"]


def test_the_list_is_filtered_by_state_and_leaves_out_unconfirmed_applications(
    as_user: Any, organiser: Any, principles: Any
) -> None:
    make_application(principles, State.SUBMITTED, email="a@one.example.org", name="Alpha Group")
    make_application(principles, State.UNDER_REVIEW, email="b@two.example.org", name="Beta Net")
    make_application(principles, State.UNCONFIRMED, email="c@three.example.org", name="Gamma")
    client = as_user(organiser)
    body = client.get("/en/coalition/join/staff/").content.decode()
    assert "Alpha Group" in body and "Beta Net" in body
    assert "Gamma" not in body
    body = client.get("/en/coalition/join/staff/?state=under_review").content.decode()
    assert "Beta Net" in body and "Alpha Group" not in body
    # A made-up state shows everything rather than failing.
    assert client.get("/en/coalition/join/staff/?state=nonsense").status_code == 200
    gamma = Application.objects.get(name="Gamma")
    assert client.get(f"/en/coalition/join/staff/{gamma.pk}/").status_code == 404


def _step(client: Client, application: Application, capture: Any, **data: Any) -> Any:
    with capture(execute=False):
        response = client.post(f"/en/coalition/join/staff/{application.pk}/transition/", data)
    return response


def _deliver(capture: Any) -> None:
    from reclaim.mail.services import deliver_pending

    deliver_pending()


@pytest.mark.parametrize(
    ("start", "target", "message", "expected"),
    [
        (State.SUBMITTED, State.UNDER_REVIEW, "", "prüfen jetzt Ihre Bewerbung"),
        (State.UNDER_REVIEW, State.MORE_INFORMATION, "Who funds you?", "Who funds you?"),
        (State.MORE_INFORMATION, State.UNDER_REVIEW, "", "prüfen jetzt Ihre Bewerbung"),
        (State.UNDER_REVIEW, State.DECLINED, "Not in scope.", "Not in scope."),
        (State.SUBMITTED, State.DECLINED, "", "Ihre Bewerbung nicht anzunehmen"),
    ],
)
def test_each_step_changes_the_state_mails_the_applicant_in_their_language_and_is_audited(
    as_user: Any,
    organiser: Any,
    principles: Any,
    django_capture_on_commit_callbacks: Any,
    start: str,
    target: str,
    message: str,
    expected: str,
) -> None:
    application = make_application(principles, start, language="de")
    OutgoingMail.objects.all().delete()
    mail.outbox.clear()
    client = as_user(organiser)
    response = _step(
        client, application, django_capture_on_commit_callbacks, state=target, message=message
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == target
    assert (application.decided_at is not None) == (target == State.DECLINED)
    [queued] = OutgoingMail.objects.all()
    assert queued.kind == "coalition.application_state"
    assert queued.language == "de"
    _deliver(django_capture_on_commit_callbacks)
    [sent] = mail.outbox
    assert sent.to == ["anna@watch.example.org"]
    assert expected in sent.body
    assert AuditEntry.objects.filter(
        action=f"coalition.application_{target}",
        actor="alice",
        target=f"application:{application.pk}",
    ).exists()


def test_asking_for_more_information_needs_the_question(
    as_user: Any, organiser: Any, principles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = make_application(principles, State.UNDER_REVIEW)
    OutgoingMail.objects.all().delete()
    response = _step(
        as_user(organiser),
        application,
        django_capture_on_commit_callbacks,
        state=State.MORE_INFORMATION,
        message="  ",
    )
    assert response.status_code == 400
    assert b"Write the question the applicant should answer." in response.content
    assert Application.objects.get().state == State.UNDER_REVIEW
    assert not OutgoingMail.objects.exists()


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (State.SUBMITTED, State.ACCEPTED),
        (State.SUBMITTED, State.MORE_INFORMATION),
        (State.DECLINED, State.UNDER_REVIEW),
        (State.MORE_INFORMATION, State.ACCEPTED),
        (State.UNDER_REVIEW, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, State.UNCONFIRMED),
    ],
)
def test_a_step_the_state_does_not_allow_is_refused_with_a_clear_message(
    as_user: Any,
    organiser: Any,
    principles: Any,
    django_capture_on_commit_callbacks: Any,
    start: str,
    target: str,
) -> None:
    application = make_application(principles, start)
    OutgoingMail.objects.all().delete()
    response = _step(
        as_user(organiser),
        application,
        django_capture_on_commit_callbacks,
        state=target,
        message="Question?",
    )
    assert response.status_code == 409
    assert "cannot become" in response.content.decode()
    assert Application.objects.get().state == start
    assert not OutgoingMail.objects.exists()
    assert not AuditEntry.objects.filter(actor="alice").exists()


def test_the_detail_page_offers_only_the_allowed_steps(
    as_user: Any, organiser: Any, principles: Any
) -> None:
    application = make_application(principles, State.SUBMITTED)
    body = as_user(organiser).get(f"/en/coalition/join/staff/{application.pk}/").content.decode()
    assert 'value="under_review"' in body
    assert 'value="declined"' in body
    assert 'name="state" value="accepted"' not in body
    assert "Anna Berger" in body and "anna@watch.example.org" in body
    assert "Version 1" in body


def test_notes_are_kept_for_organisers_and_never_reach_the_applicant(
    client: Client,
    as_user: Any,
    organiser: Any,
    principles: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = make_application(principles, State.SUBMITTED)
    staff = as_user(organiser)
    response = staff.post(
        f"/en/coalition/join/staff/{application.pk}/note/", {"text": "Secret: check funding."}
    )
    assert response.status_code == 302
    [note] = application.notes.all()
    assert note.author == organiser
    assert (
        "Secret: check funding."
        in staff.get(f"/en/coalition/join/staff/{application.pk}/").content.decode()
    )
    assert AuditEntry.objects.filter(action="coalition.application_note").exists()
    # Every mail the applicant gets afterwards leaves it out.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _step(staff, application, django_capture_on_commit_callbacks, state=State.UNDER_REVIEW)
    _deliver(django_capture_on_commit_callbacks)
    assert mail.outbox
    for message in mail.outbox:
        assert "Secret" not in message.body
        assert all("Secret" not in str(part[0]) for part in message.alternatives)
    # And no public page shows it.
    assert b"Secret" not in client.get("/en/coalition/join/").content


def test_an_empty_note_is_refused(as_user: Any, organiser: Any, principles: Any) -> None:
    application = make_application(principles, State.SUBMITTED)
    response = as_user(organiser).post(
        f"/en/coalition/join/staff/{application.pk}/note/", {"text": ""}
    )
    assert response.status_code == 400
    assert not application.notes.exists()


def test_organisers_publish_a_new_version_of_the_principles(
    client: Client, as_user: Any, organiser: Any, principles: Any
) -> None:
    staff = as_user(organiser)
    response = staff.post("/en/coalition/join/staff/principles/", {"text": "Version two."})
    assert response.status_code == 302
    assert b"Version two." in client.get("/en/coalition/join/").content
    # Sending the same text again makes no new version.
    staff.post("/en/coalition/join/staff/principles/", {"text": "Version two."})
    from reclaim.coalition.models import Principles

    assert list(Principles.objects.values_list("version", flat=True)) == [2, 1]
    assert AuditEntry.objects.filter(action="coalition.principles_publish").count() == 2
