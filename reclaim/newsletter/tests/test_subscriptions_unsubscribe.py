"""Unsubscribing by the page's button and by one-click (RFC 8058), and the signed links."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client

from reclaim.audit.models import AuditEntry
from reclaim.newsletter.models import Subscription, Suppression
from reclaim.newsletter.services import subscriptions as services
from reclaim.newsletter.services.addresses import hash_address
from reclaim.newsletter.tests.fixtures_subscriptions import (  # noqa: F401
    ADDRESS,
    CONFIRM_LINK,
    link_in,
    make_list,
    news_list_fixture,
    subscribe,
    subscribed,
)

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_the_links_are_absolute_and_signed(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribed(client, django_capture_on_commit_callbacks, news_list)
    url = services.unsubscribe_url(subscription)
    assert url.startswith("http") and "/en/newsletter/unsubscribe/" in url
    assert services.one_click_url(subscription).endswith("/one-click/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert services.subscription_for_unsubscribe(token) == subscription
    assert services.subscription_for_unsubscribe(token + "x") is None
    forged = signing.dumps([subscription.pk, news_list.pk], salt="another salt")
    assert services.subscription_for_unsubscribe(forged) is None


def test_the_unsubscribe_page_changes_nothing_and_its_button_erases_the_address(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribed(client, django_capture_on_commit_callbacks, news_list)
    path = _path(services.unsubscribe_url(subscription))
    page = client.get(path)
    assert page.status_code == 200
    assert "Unsubscribe" in page.content.decode()
    assert Subscription.objects.exists()

    response = client.post(path)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscription.objects.exists()
    assert Suppression.objects.filter(
        mailing_list=news_list, email_hash=hash_address(ADDRESS)
    ).exists()
    entry = AuditEntry.objects.get(action="newsletter.unsubscribe")
    assert ADDRESS not in str(entry.detail) and subscription.email_hash not in str(entry.detail)

    # The link of a deleted subscription still opens, and says so.
    again = client.get(path)
    assert again.status_code == 200 and "You are unsubscribed" in again.content.decode()


def test_one_click_unsubscribes_without_cookie_or_token(
    news_list: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribed(client, django_capture_on_commit_callbacks, news_list)
    path = _path(services.one_click_url(subscription))
    mail_client = Client(enforce_csrf_checks=True)
    assert mail_client.get(path).status_code == 405
    assert mail_client.post(path, {"List-Unsubscribe": "nope"}).status_code == 400
    assert Subscription.objects.exists()
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert Suppression.objects.count() == 1
    # Posted twice (clients retry): still fine, nothing more.
    assert mail_client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert AuditEntry.objects.filter(action="newsletter.unsubscribe").count() == 1


def test_one_click_is_taken_from_a_webmail_page_on_another_site(
    news_list: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribed(client, django_capture_on_commit_callbacks, news_list)
    path = _path(services.one_click_url(subscription))
    response = Client(enforce_csrf_checks=True).post(
        path,
        {"List-Unsubscribe": "One-Click"},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://mail.example.com"},
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_csrf_exemption_is_narrow(news_list: Any) -> None:
    """Only the one-click endpoint skips Django's token; the pages use the site's check of
    the origin (reclaim.core.crossorigin) and a cross-site post is refused."""
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        "/en/newsletter/news/",
        {"email": ADDRESS, "language": "en", "lists": [str(news_list.pk)]},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_a_made_up_unsubscribe_link_is_not_found(client: Client) -> None:
    assert client.get("/en/newsletter/unsubscribe/made-up/").status_code == 404
    assert client.post("/en/newsletter/unsubscribe/made-up/").status_code == 404
    assert (
        client.post(
            "/en/newsletter/unsubscribe/made-up/one-click/", {"List-Unsubscribe": "One-Click"}
        ).status_code
        == 404
    )


def test_a_suppressed_address_is_not_re_added_by_the_same_token_of_another_list(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribed(client, django_capture_on_commit_callbacks, news_list)
    other = make_list("other")
    forged = signing.dumps([subscription.pk, other.pk], salt=services.UNSUBSCRIBE_SALT)
    assert services.subscription_for_unsubscribe(forged) is None
