"""The public application form: principles, validation, the guard, duplicates."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from reclaim.coalition.models import Application
from reclaim.coalition.services.principles import publish_principles
from reclaim.coalition.tests.fixtures_applications import (
    CONFIRM_LINK,
    apply,
    link_in,
    principles_fixture,  # noqa: F401
)
from reclaim.lib.emailhash import email_hash

pytestmark = pytest.mark.django_db


def test_it_says_applications_are_not_open_before_any_principles_exist(client: Client) -> None:
    response = client.get("/en/coalition/join/")
    assert response.status_code == 200
    assert b"Applications are not open yet" in response.content
    assert b"<form" not in response.content.split(b"<main")[1]


def test_it_refuses_a_post_while_applications_are_not_open(client: Client) -> None:
    response = client.post("/en/coalition/join/", {"name": "X"})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_form_shows_the_principles_and_when_the_contact_data_is_deleted(
    client: Client, principles: Any, settings: Any
) -> None:
    settings.RECLAIM = settings.RECLAIM | {"COALITION_APPLICATION_RETENTION_DAYS": 123}
    response = client.get("/en/coalition/join/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "version 1" in body
    assert "No money from surveillance vendors." in body
    assert "deleted 123 days after the organisers" in body
    assert 'name="principles_version" value="1"' in body
    # Guarded like the signing form: the script asks reclaim.shield for a challenge.
    assert "/shield/challenge/coalition.apply/join/" in body or "challenge/coalition.apply" in body


def test_it_stores_an_unconfirmed_application_and_mails_the_link_in_the_visitors_language(
    client: Client, principles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = apply(client, django_capture_on_commit_callbacks, language="de")
    assert response.status_code == 302
    assert response["Location"] == "/de/coalition/join/sent/"
    application = Application.objects.get()
    assert application.state == Application.State.UNCONFIRMED
    assert application.principles == principles
    assert application.language == "de"
    assert application.website == "https://watch.example.org"
    assert application.email_hash == email_hash("anna@watch.example.org")
    assert application.confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["anna@watch.example.org"]
    assert link_in(CONFIRM_LINK).startswith("/de/coalition/join/confirm/")
    # Only the token's hash is stored.
    token = link_in(CONFIRM_LINK).rstrip("/").rsplit("/", 1)[1]
    application.refresh_from_db()
    assert token not in application.token_hash and application.token_hash


def test_an_international_organisation_leaves_the_country_empty(
    client: Client, principles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    apply(client, django_capture_on_commit_callbacks, country="")
    assert Application.objects.get().country == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Dieses Feld ist zwingend erforderlich."),
        ("contact_email", "not-an-address", "contact_email"),
        ("contact_email", "someone@mailinator.com", "contact_email"),
        ("website", "not a website", "website"),
        ("country", "XX", "country"),
        ("kind", "spies", "kind"),
        ("name", "Bad\u202eName", "name"),
        ("description", "x" * 2001, "description"),
    ],
)
def test_bad_input_gets_a_translated_error_and_stores_nothing(
    client: Client,
    principles: Any,
    django_capture_on_commit_callbacks: Any,
    field: str,
    value: str,
    message: str,
) -> None:
    response = apply(client, django_capture_on_commit_callbacks, language="de", **{field: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Bitte korrigieren" in body or "error-summary" in body
    assert 'aria-invalid="true"' in body
    if " " in message:
        assert message in body
    assert not Application.objects.exists()
    assert not mail.outbox


def test_it_refuses_an_application_that_does_not_agree_to_the_principles(
    client: Client, principles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = apply(client, django_capture_on_commit_callbacks, agree=None)
    assert response.status_code == 400
    assert b"only organisations that agree to its principles" in response.content
    assert not Application.objects.exists()


def test_it_asks_to_agree_again_when_the_principles_changed_meanwhile(
    client: Client, principles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    publish_principles("New text.", "test")
    response = apply(client, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The principles have changed since you opened this page" in body
    assert "New text." in body
    assert 'name="principles_version" value="2"' in body
    assert not Application.objects.exists()


def test_the_guard_refuses_too_many_applications_and_stores_nothing(
    client: Client, principles: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.RECLAIM = settings.RECLAIM | {
        "THROTTLES_BY_SCOPE": {"coalition.apply": {"source_burst": (1, 60)}}
    }
    assert apply(client, django_capture_on_commit_callbacks).status_code == 302
    response = apply(
        client, django_capture_on_commit_callbacks, contact_email="other@watch.example.org"
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many applications from your network right now." in response.content
    assert b"Your application has not been saved." in response.content
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_second_application_from_an_address_with_one_pending_stores_nothing_and_says_so(
    client: Client, principles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    apply(client, django_capture_on_commit_callbacks)
    # Another spelling of the same mailbox is the same address.
    response = apply(
        client, django_capture_on_commit_callbacks, contact_email="Anna@watch.example.org"
    )
    # The same page either way: the form does not tell who has applied.
    assert response.status_code == 302
    assert response["Location"] == "/en/coalition/join/sent/"
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 2
    assert "still waiting for a decision" in mail.outbox[1].body
    # Not confirmed yet: the mail carries a fresh confirmation link.
    assert link_in(CONFIRM_LINK)


def test_an_address_whose_earlier_application_was_decided_may_apply_again(
    client: Client, principles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    apply(client, django_capture_on_commit_callbacks)
    Application.objects.update(state=Application.State.DECLINED)
    apply(client, django_capture_on_commit_callbacks)
    assert Application.objects.count() == 2
