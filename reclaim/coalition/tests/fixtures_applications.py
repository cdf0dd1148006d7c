"""Fixtures and helpers for the tests of applications to join (import them in the tests)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from reclaim.accounts.models import StaffProfile
from reclaim.coalition.models import Application, Principles
from reclaim.coalition.services import applications as services
from reclaim.coalition.services.principles import publish_principles

PRINCIPLES_TEXT = "No biometric mass surveillance.\n\nNo money from surveillance vendors."
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/coalition/join/confirm/[A-Za-z0-9_\-]+/)")
INVITATION_LINK = re.compile(
    r"https?://[^/\s]+(/[a-z]{2}/coalition/join/invitation/[A-Za-z0-9_\-]+/)"
)
FORM = {
    "name": "Surveillance Watch",
    "country": "AT",
    "kind": "digital_rights",
    "website": "watch.example.org",
    "description": "We document cameras in public places.",
    "motivation": "We share the coalition's aims.",
    "contact_name": "Anna Berger",
    "contact_email": "anna@watch.example.org",
    "principles_version": "1",
    "agree": "on",
}


@pytest.fixture(name="principles")
def principles_fixture(db: Any) -> Principles:
    return publish_principles(PRINCIPLES_TEXT, "test")


@pytest.fixture(name="vetter")
def vetter_fixture(organiser: Any) -> Any:
    """The organiser (alice), with an address and German as the language of her mail."""
    organiser.email = "alice@campaign.example.org"
    organiser.save()
    StaffProfile.objects.update_or_create(user=organiser, defaults={"language": "de"})
    return organiser


def apply(client: Client, capture: Any, language: str = "en", **fields: Any) -> Any:
    """POST the application form as a visitor; on-commit work (the mail) runs before this
    returns."""
    data = {**FORM, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    with capture(execute=True):
        return client.post(f"/{language}/coalition/join/", data, REMOTE_ADDR="203.0.113.9")


def link_in(pattern: re.Pattern[str], message: Any = None) -> str:
    message = message or mail.outbox[-1]
    match = pattern.search(message.body)
    assert match, message.body
    return match.group(1)


def make_application(
    principles: Principles,
    state: str = Application.State.SUBMITTED,
    language: str = "de",
    email: str = "anna@watch.example.org",
    name: str = "Surveillance Watch",
) -> Application:
    """An application in ``state``, made through the services as far as they go, without
    running the mails' on-commit work."""
    data = services.ApplicationData(
        name=name,
        country="AT",
        kind="digital_rights",
        website="https://watch.example.org",
        description="We document cameras in public places.",
        motivation="We share the coalition's aims.",
        contact_name="Anna Berger",
        contact_email=email,
    )
    application = services.submit_application(data, principles, language)
    assert application is not None
    if state == Application.State.UNCONFIRMED:
        return application
    services.confirm_application(application)
    if state in (
        Application.State.UNDER_REVIEW,
        Application.State.MORE_INFORMATION,
        Application.State.ACCEPTED,
    ):
        services.change_state(application, Application.State.UNDER_REVIEW, "test")
    if state == Application.State.MORE_INFORMATION:
        services.change_state(application, Application.State.MORE_INFORMATION, "test", "Who?")
    if state == Application.State.DECLINED:
        services.change_state(application, Application.State.DECLINED, "test")
    if state == Application.State.ACCEPTED:
        services.accept_application(application, "test")
    application.refresh_from_db()
    return application
