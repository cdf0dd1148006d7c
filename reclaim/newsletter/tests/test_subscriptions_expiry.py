"""Inactive subscriptions: a reminder with a "keep me subscribed" button, then expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from reclaim.core.hooks import JOBS, POLICIES
from reclaim.newsletter.models import Subscription, Suppression
from reclaim.newsletter.services import subscriptions as services
from reclaim.newsletter.tests.fixtures_subscriptions import (  # noqa: F401
    ADDRESS,
    RENEW_LINK,
    link_in,
    news_list_fixture,
    subscribed,
)

pytestmark = pytest.mark.django_db


def _age(subscription: Subscription, days: int) -> None:
    """As if the subscription had last been renewed ``days`` ago."""
    moment = timezone.now() - timedelta(days=days)
    Subscription.objects.filter(pk=subscription.pk).update(renewed_at=moment)


def test_a_reminder_goes_once_when_expiry_nears_and_its_button_renews(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribed(client, django_capture_on_commit_callbacks, news_list)
    mail.outbox.clear()
    _age(subscription, news_list.inactive_days - news_list.reminder_days - 1)
    assert services.send_reminders() == 0

    _age(subscription, news_list.inactive_days - news_list.reminder_days + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0  # once
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ADDRESS]
    link = link_in(RENEW_LINK)

    assert client.get(link).status_code == 200
    assert Subscription.objects.get().reminded_at is not None  # a GET changes nothing
    response = client.post(link)
    assert response.status_code == 200
    assert "you stay subscribed" in response.content.decode()
    renewed = Subscription.objects.get()
    assert renewed.reminded_at is None
    assert renewed.renewed_at is not None
    assert renewed.renewed_at > timezone.now() - timedelta(minutes=1)


def test_an_inactive_subscription_expires_after_its_reminder_without_suppression(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribed(client, django_capture_on_commit_callbacks, news_list)
    _age(subscription, news_list.inactive_days + 1)
    # Never reminded: not deleted yet, the reminder goes first.
    assert services.expire_inactive() == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders()
    assert services.expire_inactive() == 0  # the notice runs from the reminder
    later = timezone.now() + timedelta(days=news_list.reminder_days + 1)
    assert services.expire_inactive(now=later) == 1
    assert not Subscription.objects.exists()
    assert not Suppression.objects.exists()  # expiry is not an unsubscribe


def test_a_recently_renewed_subscription_is_left_alone(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribed(client, django_capture_on_commit_callbacks, news_list)
    assert services.remind_and_expire() == 0
    assert Subscription.objects.count() == 1


def test_the_job_and_the_policies_are_declared() -> None:
    assert "newsletter reminders and expiry" in {job.name for job in JOBS}
    names = {policy.name for policy in POLICIES}
    assert "newsletter_subscriptions_unconfirmed_deleted" in names
    assert "newsletter_subscriptions_inactive_expired" in names


def test_unconfirmed_subscriptions_are_deleted_after_the_window_and_nothing_else(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reclaim.newsletter.tests.fixtures_subscriptions import subscribe

    subscribed(client, django_capture_on_commit_callbacks, news_list, email="kept@example.org")
    subscribe(client, django_capture_on_commit_callbacks, news_list, email="old@example.org")
    subscribe(client, django_capture_on_commit_callbacks, news_list, email="new@example.org")
    pending = list(Subscription.objects.filter(confirmed_at__isnull=True).order_by("pk"))
    Subscription.objects.filter(pk=pending[0].pk).update(
        created_at=timezone.now() - services.confirmation_window() - timedelta(hours=1)
    )
    assert services.expired_unconfirmed().count() == 1
    assert services.purge_unconfirmed() == 1
    assert Subscription.objects.count() == 2
    assert Subscription.objects.filter(confirmed_at__isnull=False).count() == 1
    assert not Subscription.objects.filter(pk=pending[0].pk).exists()
