"""Subscribing through the form, and confirming by the mailed link's button."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from reclaim.mail.models import OutgoingMail
from reclaim.newsletter.models import Subscription, Suppression
from reclaim.newsletter.services.addresses import hash_address, open_address
from reclaim.newsletter.tests.fixtures_subscriptions import (  # noqa: F401
    ADDRESS,
    CONFIRM_LINK,
    CONSENT,
    german_list_fixture,
    link_in,
    make_list,
    news_list_fixture,
    subscribe,
)

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_lists_of_the_pages_language_first(
    client: Client, news_list: Any, german_list: Any
) -> None:
    page = client.get("/de/newsletter/").content.decode()
    assert page.index("Neuigkeiten") < page.index("News (en)")
    assert "Ich will Neues." in page and CONSENT in page
    page = client.get("/en/newsletter/").content.decode()
    assert page.index("News (en)") < page.index("Neuigkeiten")


def test_a_lists_own_page_shows_its_consent_text(client: Client, news_list: Any) -> None:
    response = client.get("/en/newsletter/news/")
    assert response.status_code == 200
    assert CONSENT in response.content.decode()
    assert "Set-Cookie" not in response.headers


def test_a_closed_or_unknown_list_is_not_found(client: Client, news_list: Any) -> None:
    news_list.is_active = False
    news_list.save()
    assert client.get("/en/newsletter/news/").status_code == 404
    assert client.get("/en/newsletter/nothing-here/").status_code == 404


def test_subscribing_stores_a_pending_subscription_and_mails_a_link(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = subscribe(client, django_capture_on_commit_callbacks, news_list)
    assert response.status_code == 302
    assert response["Location"] == "/en/newsletter/check-your-inbox/"
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.source == Subscription.Source.FORM
    assert subscription.consent_text == CONSENT
    assert str(subscription.country) == "AT"
    assert subscription.email_hash == hash_address(ADDRESS)
    assert ADDRESS.encode() not in bytes(subscription.address_sealed)
    assert open_address(subscription) == ADDRESS
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ADDRESS]
    assert CONFIRM_LINK.search(mail.outbox[0].body)
    assert not OutgoingMail.objects.exists()


def test_the_general_form_subscribes_to_each_chosen_list(
    client: Client, news_list: Any, german_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = subscribe(
        client,
        django_capture_on_commit_callbacks,
        lists=[str(news_list.pk), str(german_list.pk)],
    )
    assert response.status_code == 302
    assert Subscription.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_general_form_asks_for_a_list(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = subscribe(client, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Choose at least one newsletter." in response.content.decode()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "not an address"},
        {"email": ""},
        {"language": "xx"},
        {"country": "ZZ"},
    ],
)
def test_bad_input_gets_an_error_and_stores_nothing(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any, fields: Any
) -> None:
    response = subscribe(client, django_capture_on_commit_callbacks, news_list, **fields)
    assert response.status_code == 400
    assert "Please correct the following" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_a_list_of_another_page_cannot_be_smuggled_in(
    client: Client, news_list: Any, german_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = subscribe(
        client, django_capture_on_commit_callbacks, news_list, lists=[str(german_list.pk)]
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_the_answer_is_the_same_for_an_address_already_subscribed(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = subscribe(client, django_capture_on_commit_callbacks, news_list)
    client.post(link_in(CONFIRM_LINK))
    mail.outbox.clear()
    second = subscribe(client, django_capture_on_commit_callbacks, news_list)
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert Subscription.objects.count() == 1
    assert not mail.outbox  # a confirmed subscriber is not written to again


def test_a_pending_address_gets_its_link_again(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(client, django_capture_on_commit_callbacks, news_list)
    subscribe(client, django_capture_on_commit_callbacks, news_list)
    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 2
    # The newest link works (the first one's token was replaced when the second was sent).
    assert client.post(link_in(CONFIRM_LINK)).status_code == 302
    assert Subscription.objects.get().confirmed_at is not None


def test_opening_the_link_changes_nothing_and_the_button_confirms(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe(client, django_capture_on_commit_callbacks, news_list)
    link = link_in(CONFIRM_LINK)
    page = client.get(link)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None

    response = client.post(link)
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.renewed_at == subscription.confirmed_at

    receipt = client.get(link).content.decode()
    assert "Your subscription receipt" in receipt
    assert "keyed fingerprint" in receipt
    assert "Unsubscribe" in receipt and "/en/newsletter/unsubscribe/" in receipt
    assert ADDRESS not in receipt  # the receipt lists what is stored, never the address


def test_a_made_up_or_expired_link_confirms_nothing(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    assert client.get("/en/newsletter/confirm/made-up/").status_code == 404
    assert client.post("/en/newsletter/confirm/made-up/").status_code == 404
    subscribe(client, django_capture_on_commit_callbacks, news_list)
    link = link_in(CONFIRM_LINK)
    settings.RECLAIM = {**settings.RECLAIM, "CONFIRMATION_DAYS": 0}
    assert client.post(link).status_code == 410
    assert Subscription.objects.get().confirmed_at is None


def test_a_suppressed_address_may_subscribe_again_and_confirming_lifts_the_suppression(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Suppression.objects.create(mailing_list=news_list, email_hash=hash_address(ADDRESS))
    subscribe(client, django_capture_on_commit_callbacks, news_list)
    assert Suppression.objects.exists()  # not before its owner confirms
    client.post(link_in(CONFIRM_LINK))
    assert not Suppression.objects.exists()


def test_the_form_is_guarded_by_the_throttle(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.RECLAIM = {
        **settings.RECLAIM,
        "THROTTLES_BY_SCOPE": {
            **settings.RECLAIM.get("THROTTLES_BY_SCOPE", {}),
            "newsletter.subscribe": {"source_burst": (1, 60)},
        },
    }
    subscribe(client, django_capture_on_commit_callbacks, news_list, email="a@example.org")
    response = subscribe(
        client, django_capture_on_commit_callbacks, news_list, email="b@example.org"
    )
    assert response.status_code == 429
    assert "Too many subscriptions from your network right now." in response.content.decode()
    assert Subscription.objects.count() == 1


def test_without_lists_the_page_says_there_is_nothing_to_subscribe_to(client: Client) -> None:
    response = client.get("/en/newsletter/")
    assert response.status_code == 200
    assert "There is no newsletter" in response.content.decode()
