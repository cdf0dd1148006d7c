"""The signing form's "send me news" box makes a pending subscription with its own mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import sign
from reclaim.newsletter.models import Subscription
from reclaim.newsletter.tests.fixtures_subscriptions import (  # noqa: F401
    CONFIRM_LINK,
    german_list_fixture,
    link_in,
    make_list,
    news_list_fixture,
)

pytestmark = pytest.mark.django_db


def _newsletter_mails() -> list[Any]:
    return [m for m in mail.outbox if CONFIRM_LINK.search(m.body)]


def test_signing_with_the_box_ticked_makes_one_pending_subscription_and_one_mail(
    client: Client, petition: Any, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = sign(client, petition, django_capture_on_commit_callbacks, newsletter="on")
    assert response.status_code == 302
    assert Signature.objects.count() == 1
    subscription = Subscription.objects.get()
    assert subscription.mailing_list == news_list
    assert subscription.source == Subscription.Source.SIGNING
    assert subscription.confirmed_at is None
    assert str(subscription.country) == "DE"
    assert len(_newsletter_mails()) == 1
    assert len(mail.outbox) == 2  # and the signature's own confirmation mail

    assert client.post(link_in(CONFIRM_LINK, _newsletter_mails()[0])).status_code == 302
    assert Subscription.objects.get().confirmed_at is not None


def test_signing_with_the_box_unticked_makes_none(
    client: Client, petition: Any, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sign(client, petition, django_capture_on_commit_callbacks)
    assert Signature.objects.count() == 1
    assert not Subscription.objects.exists()
    assert not _newsletter_mails()


def test_the_list_of_the_signing_language_is_chosen(
    client: Client,
    petition: Any,
    news_list: Any,
    german_list: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sign(client, petition, django_capture_on_commit_callbacks, language="de", newsletter="on")
    assert Subscription.objects.get().mailing_list == german_list


def test_without_a_list_in_the_language_the_box_subscribes_to_nothing(
    client: Client, petition: Any, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = sign(
        client, petition, django_capture_on_commit_callbacks, language="fr", newsletter="on"
    )
    assert response.status_code == 302
    assert Signature.objects.count() == 1
    assert not Subscription.objects.exists()


def test_a_subscriber_who_signs_again_with_the_box_does_not_break_the_signature(
    client: Client, petition: Any, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sign(client, petition, django_capture_on_commit_callbacks, newsletter="on")
    client.post(link_in(CONFIRM_LINK, _newsletter_mails()[0]))
    Signature.objects.all().delete()
    mail.outbox.clear()
    sign(client, petition, django_capture_on_commit_callbacks, newsletter="on")
    assert Signature.objects.count() == 1
    assert Subscription.objects.count() == 1
    assert not _newsletter_mails()


def test_a_widget_signature_passes_its_key_to_the_subscription(
    petition: Any, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reclaim.letters import services as letters
    from reclaim.letters.services import SignerData

    data = SignerData(
        kind="individual", name="W", email="w@example.org", country="PT", newsletter=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        letters.sign_petition(petition, data, "en", widget_key="abc123")
    assert Subscription.objects.get().widget_key == "abc123"
