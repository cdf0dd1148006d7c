"""An acknowledged signature never loses its mail, and the address never outlives it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import last_link, sign
from reclaim.mail.models import OutgoingMail
from reclaim.mail.services import deliver_stale
from reclaim.mail.tests.backends import Server

pytestmark = pytest.mark.django_db


def test_a_mail_whose_nudge_was_lost_is_sent_by_the_sweep(
    client, petition, django_capture_on_commit_callbacks
):
    # The process "dies" between commit and enqueue: the on-commit hook never runs.
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/en/p/ban/",
            {"as": "individual", "name": "J", "email": "j@example.org", "country": "AT"},
        )
    assert response.status_code == 302
    assert not mail.outbox
    assert OutgoingMail.objects.get().to_email == "j@example.org"

    assert deliver_stale(older_than=timedelta(0)) == 1
    assert mail.outbox[0].to == ["j@example.org"]
    assert "/en/s/" in last_link()
    assert not OutgoingMail.objects.exists()
    assert Signature.objects.get().token_hash


def test_a_failed_send_keeps_the_mail_queued_for_a_retry(
    client, petition, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "reclaim.mail.tests.backends.SMTPLikeBackend"
    Server.reset()
    Server.refuse = {"jane@example.org"}
    sign(client, petition, django_capture_on_commit_callbacks)
    queued = OutgoingMail.objects.get()
    assert queued.attempts == 1
    # The retry waits a while rather than spinning; once that has passed, it goes out.
    assert deliver_stale(older_than=timedelta(0)) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.update(claimed_until=timezone.now())
    assert deliver_stale(older_than=timedelta(0)) == 1
    assert len(mail.outbox) == 1
    assert not OutgoingMail.objects.exists()


def test_a_mail_for_a_withdrawn_signature_is_dropped_unsent(
    client, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        sign(client, petition, lambda execute: django_capture_on_commit_callbacks(execute=False))
    Signature.objects.all().delete()
    assert deliver_stale(older_than=timedelta(0)) == 0
    assert not mail.outbox
    assert not OutgoingMail.objects.exists()
