"""Subscribing and confirming in Chromium, with JavaScript on and off, and the accessibility
checks of every public page of the newsletter."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from reclaim.newsletter.models import Subscription
from reclaim.newsletter.services import subscriptions as services
from reclaim.newsletter.tests.fixtures_subscriptions import (  # noqa: F401
    CONFIRM_LINK,
    link_in,
    make_list,
    news_list_fixture,
)

ADDRESS = "browser.reader@example.org"


def _subscribe_and_confirm(page: Any, news_list: Any) -> None:
    page.goto("/en/newsletter/")
    page.check(f"input[name=lists][value='{news_list.pk}']")
    page.fill("#id_email", ADDRESS)
    page.select_option("#id_country", "AT")
    page.click("button[type=submit]")
    page.wait_for_url("**/newsletter/check-your-inbox/")
    assert page.locator("h1").inner_text() == "Check your inbox"
    link = link_in(CONFIRM_LINK, next(m for m in mail.outbox if ADDRESS in m.to))
    page.goto(link)
    assert Subscription.objects.get().confirmed_at is None  # opening the link changes nothing
    page.click("button[type=submit]")
    page.wait_for_selector("text=your subscription is confirmed")
    assert Subscription.objects.get().confirmed_at is not None
    assert page.locator("h1").inner_text() == "Your subscription receipt"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_subscribes_and_confirms_with_javascript(page: Any, traffic: Any) -> None:
    news_list = make_list()
    _subscribe_and_confirm(page, news_list)
    traffic.assert_same_origin()


@pytest.mark.browser
@pytest.mark.no_javascript
@pytest.mark.django_db(transaction=True)
def test_a_visitor_subscribes_confirms_and_unsubscribes_without_javascript(
    page: Any, traffic: Any
) -> None:
    news_list = make_list()
    _subscribe_and_confirm(page, news_list)
    page.click("button:has-text('Unsubscribe')")
    page.wait_for_selector("h1:has-text('You are unsubscribed')")
    assert not Subscription.objects.exists()
    traffic.assert_same_origin()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_newsletter_pages_pass_the_accessibility_checks(page: Any, axe: Any) -> None:
    news_list = make_list()
    make_list("neuigkeiten", "de", name="Neuigkeiten")
    page.goto("/en/newsletter/")
    axe(page, "the subscribe form")
    page.click("button[type=submit]")
    axe(page, "the subscribe form with errors")
    page.goto(f"/en/newsletter/{news_list.slug}/")
    axe(page, "a list's subscribe page")
    page.fill("#id_email", ADDRESS)
    page.click("button[type=submit]")
    page.wait_for_url("**/newsletter/check-your-inbox/")
    axe(page, "the check-your-inbox page")
    page.goto(link_in(CONFIRM_LINK, next(m for m in mail.outbox if ADDRESS in m.to)))
    axe(page, "the confirmation page")
    page.click("button[type=submit]")
    page.wait_for_selector("text=your subscription is confirmed")
    axe(page, "the receipt")
    subscription = Subscription.objects.get()
    page.goto("/en/newsletter/renew/" + services.renew_token(subscription) + "/")
    axe(page, "the keep-me-subscribed page")
    page.goto("/en/newsletter/unsubscribe/" + services.unsubscribe_token(subscription) + "/")
    axe(page, "the unsubscribe page")
    page.click("button:has-text('Unsubscribe')")
    page.wait_for_selector("h1:has-text('You are unsubscribed')")
    axe(page, "the unsubscribed page")
    page.goto("/en/newsletter/confirm/made-up/")
    axe(page, "an invalid link")
