"""Fixtures and helpers for the tests of lists and subscriptions (import them in the tests)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from reclaim.newsletter.models import MailingList, Subscription

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/newsletter/confirm/[A-Za-z0-9_\-:]+/)")
RENEW_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/newsletter/renew/[A-Za-z0-9_\-:]+/)")
UNSUBSCRIBE_LINK = re.compile(
    r"https?://[^/\s]+(/[a-z]{2}/newsletter/unsubscribe/[A-Za-z0-9_\-:]+/)"
)
CONSENT = "I want the campaign news by email and may unsubscribe at any time."
ADDRESS = "reader@example.org"


def make_list(slug: str = "news", language: str = "en", **fields: Any) -> MailingList:
    values = {
        "name": f"News ({language})",
        "language": language,
        "description": "Monthly campaign news.",
        "consent_text": CONSENT,
        **fields,
    }
    return MailingList.objects.create(slug=slug, **values)


@pytest.fixture(name="news_list")
def news_list_fixture(db: Any) -> MailingList:
    return make_list()


@pytest.fixture(name="german_list")
def german_list_fixture(db: Any) -> MailingList:
    return make_list("neuigkeiten", "de", name="Neuigkeiten", consent_text="Ich will Neues.")


def subscribe(
    client: Client, capture: Any, mailing_list: MailingList | None = None, **fields: Any
) -> Any:
    """POST the subscribe form as a visitor; on-commit work (the mail) runs before this
    returns. With a list, its own page's form; without, the general one."""
    url = fields.pop("url", None)
    data: dict[str, Any] = {"email": ADDRESS, "language": "en", "country": "AT"}
    if mailing_list is not None:
        data["lists"] = [str(mailing_list.pk)]
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    if url is None:
        url = f"/en/newsletter/{mailing_list.slug}/" if mailing_list else "/en/newsletter/"
    with capture(execute=True):
        return client.post(url, data, REMOTE_ADDR="203.0.113.41")


def link_in(pattern: re.Pattern[str], message: Any = None) -> str:
    message = message or mail.outbox[-1]
    match = pattern.search(message.body)
    assert match, message.body
    return match.group(1)


def subscribed(
    client: Client, capture: Any, mailing_list: MailingList, **fields: Any
) -> Subscription:
    """Subscribe and confirm through the pages; returns the confirmed subscription."""
    subscribe(client, capture, mailing_list, **fields)
    response = client.post(link_in(CONFIRM_LINK))
    assert response.status_code == 302
    return Subscription.objects.get(mailing_list=mailing_list, confirmed_at__isnull=False)
