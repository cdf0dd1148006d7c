"""Confirming an application from the mailed link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from reclaim.coalition.models import Application
from reclaim.coalition.tests.fixtures_applications import (
    CONFIRM_LINK,
    apply,
    link_in,
    principles_fixture,  # noqa: F401
    vetter_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client: Client, principles: Any, django_capture_on_commit_callbacks: Any) -> str:
    apply(client, django_capture_on_commit_callbacks, language="fr")
    return link_in(CONFIRM_LINK)


def test_opening_the_link_changes_nothing(client: Client, link: str) -> None:
    response = client.get(link)
    assert response.status_code == 200
    assert "Confirmer la candidature" in response.content.decode()
    assert b'method="post"' in response.content
    application = Application.objects.get()
    assert application.state == Application.State.UNCONFIRMED
    assert application.confirmed_at is None


def test_the_button_confirms_and_tells_the_organisers_in_their_language(
    client: Client,
    link: str,
    vetter: Any,
    moderator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    moderator.email = "bob@campaign.example.org"
    moderator.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.state == Application.State.SUBMITTED
    assert application.confirmed_at is not None
    # Only staff who vet applications are told; moderators are not.
    [message] = mail.outbox
    assert message.to == ["alice@campaign.example.org"]
    assert "Surveillance Watch" in message.subject
    assert f"/de/coalition/join/staff/{application.pk}/" in message.body
    # The link now shows that it is done, and confirming again changes nothing.
    follow = client.get(link)
    assert "Candidature confirmée" in follow.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    assert len(mail.outbox) == 1


def test_an_unknown_link_gets_a_clear_page(client: Client, principles: Any) -> None:
    response = client.get("/en/coalition/join/confirm/not-a-real-token/")
    assert response.status_code == 404
    assert b"This link is no longer valid" in response.content
    response = client.post("/en/coalition/join/confirm/" + "x" * 200 + "/")
    assert response.status_code == 404


def test_an_expired_link_confirms_nothing(client: Client, link: str, settings: Any) -> None:
    Application.objects.update(
        created_at=timezone.now() - timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"], hours=1)
    )
    assert client.get(link).status_code == 410
    response = client.post(link)
    assert response.status_code == 410
    # The link was mailed in French: the page is in French too.
    assert 'lang="fr"' in response.content.decode()
    assert Application.objects.get().state == Application.State.UNCONFIRMED
