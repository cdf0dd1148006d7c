"""A second signature with the same address creates nothing and reveals nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import confirm, last_link, sign
from reclaim.lib.emailhash import canonical_email

pytestmark = pytest.mark.django_db


def test_it_rejects_a_second_signature_without_saying_so_on_the_page(
    client, petition, django_capture_on_commit_callbacks
):
    first = sign(client, petition, django_capture_on_commit_callbacks)
    confirm(client, last_link())
    second = sign(client, petition, django_capture_on_commit_callbacks, name="Someone Else")
    # Same redirect, same page: the visitor cannot learn whether the address had signed.
    assert second.status_code == first.status_code == 302
    assert second["Location"] == first["Location"]
    assert Signature.objects.count() == 1
    assert len(mail.outbox) == 2
    assert "already signed" in mail.outbox[-1].body
    assert "confirmed and counted" in mail.outbox[-1].body


def test_address_variants_that_reach_the_same_mailbox_are_duplicates(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks, email="Jane.Doe+petition@gmail.com")
    sign(client, petition, django_capture_on_commit_callbacks, email="janedoe@googlemail.com")
    sign(client, petition, django_capture_on_commit_callbacks, email="JANEDOE@GMAIL.COM")
    assert Signature.objects.count() == 1


def test_a_repeat_before_confirming_sends_a_fresh_confirmation_link(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    sign(client, petition, django_capture_on_commit_callbacks)
    assert Signature.objects.count() == 1
    assert "already signed" in mail.outbox[-1].body
    confirm(client, last_link())
    assert Signature.objects.get().confirmed_at is not None


def test_the_same_address_may_sign_two_different_petitions(
    client, petition, letter, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    sign(client, letter, django_capture_on_commit_callbacks)
    assert Signature.objects.count() == 2


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("J.Doe+news@Gmail.com", "jdoe@gmail.com"),
        ("j.doe@googlemail.com", "jdoe@gmail.com"),
        ("first.last+tag@posteo.de", "first.last@posteo.de"),
        ("First.Last+tag@example.org", "first.last+tag@example.org"),
        ("someone@proton.me", "someone@proton.me"),
        ("someone+x@protonmail.com", "someone@proton.me"),
    ],
)
def test_canonical_email_folds_only_what_the_provider_ignores(address, canonical):
    assert canonical_email(address) == canonical


def test_the_email_hash_is_keyed(settings):
    from reclaim.lib.emailhash import email_hash

    first = email_hash("jane@example.org")
    settings.EMAIL_HASH_KEY = "another key"
    assert email_hash("jane@example.org") != first
    import hashlib

    assert first != hashlib.sha256(b"jane@example.org").hexdigest()
