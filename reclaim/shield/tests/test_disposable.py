"""Disposable addresses are refused at signing, from the maintained list package."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import sign
from reclaim.lib.forms import is_disposable

pytestmark = pytest.mark.django_db

REFUSAL = "Please use a permanent email address"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The signing throttles count in the cache, which outlives a test: start from zero so
    that what is tested here is the address, not the earlier tests' signatures."""
    cache.clear()


@pytest.mark.parametrize("email", ["jane@mailinator.com", "jane@inbox.Mailinator.com"])
def test_a_disposable_address_is_refused_and_nothing_is_stored(
    email, client, petition, django_capture_on_commit_callbacks
):
    response = sign(client, petition, django_capture_on_commit_callbacks, email=email)

    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert not Signature.objects.exists()
    assert mail.outbox == []


def test_a_permanent_address_is_still_welcome(client, petition, django_capture_on_commit_callbacks):
    response = sign(client, petition, django_capture_on_commit_callbacks, email="jane@posteo.de")
    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_the_list_comes_from_the_package_not_from_us():
    from disposable_email_domains import blocklist

    assert len(blocklist) > 1000
    assert is_disposable("mailinator.com")
    assert not is_disposable("gmail.com")
    assert not is_disposable("com")
