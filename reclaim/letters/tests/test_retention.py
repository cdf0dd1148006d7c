"""Expiry of unconfirmed signatures and the purge of petitions past their retention."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.letters.counting import aggregate_counts, counts_for
from reclaim.letters.models import Petition, Signature
from reclaim.letters.tests.helpers import confirm, last_link, sign
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_unconfirmed_signatures_are_deleted_at_expiry_and_never_counted(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks, email="late@example.org")
    sign(client, petition, django_capture_on_commit_callbacks, email="fresh@example.org")
    late = Signature.objects.order_by("pk").first()
    Signature.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=8))
    aggregate_counts()
    assert counts_for(petition)["total"] == 0

    call_command("purge", stdout=io.StringIO())
    assert list(Signature.objects.values_list("pk", flat=True)) == [late.pk + 1]
    assert AuditEntry.objects.filter(action="signature.purge_unconfirmed", count=1).exists()


def test_purge_dry_run_lists_what_it_would_delete_and_deletes_nothing(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    Signature.objects.update(created_at=timezone.now() - timedelta(days=8))
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "unconfirmed_deleted: 1" in out.getvalue()
    assert Signature.objects.count() == 1


def _close_past_retention(petition: Petition) -> None:
    Petition.objects.filter(pk=petition.pk).update(
        opens_at=timezone.now() - timedelta(days=200),
        closes_at=timezone.now() - timedelta(days=petition.retention_days + 1),
    )


def test_purge_wipes_the_personal_data_of_a_petition_past_retention_and_keeps_counts(
    client, petition, letter, django_capture_on_commit_callbacks
):
    for n, country in enumerate(["DE", "FR", "FR"]):
        sign(
            client,
            petition,
            django_capture_on_commit_callbacks,
            email=f"p{n}@example.org",
            country=country,
            name=f"Listed {n}",
            listed="on",
        )
        confirm(client, last_link())
    sign(client, letter, django_capture_on_commit_callbacks, email="keep@example.org")
    confirm(client, last_link())
    aggregate_counts()
    before = counts_for(petition)
    _close_past_retention(petition)

    call_command("purge", stdout=io.StringIO())

    wiped = Signature.objects.filter(petition=petition)
    assert wiped.count() == 3
    for row in wiped:
        assert row.sealed is None
        assert row.email_hash is None
        assert row.token_hash is None
        assert row.public_name == ""
        assert row.personal_data_deleted_at is not None
    kept = Signature.objects.get(petition=letter)
    assert kept.sealed is not None and kept.email_hash is not None
    petition.refresh_from_db()
    assert petition.data_purged_at is not None
    assert petition.status == Petition.Status.CLOSED

    aggregate_counts()
    after = counts_for(petition)
    assert after["total"] == before["total"] == 3
    assert after["by_country"] == {"FR": 2, "DE": 1}
    assert AuditEntry.objects.filter(action="signature.purge_petition", count=3).exists()


def test_a_second_purge_finds_nothing_more(client, petition, django_capture_on_commit_callbacks):
    sign(client, petition, django_capture_on_commit_callbacks)
    confirm(client, last_link())
    _close_past_retention(petition)
    call_command("purge", stdout=io.StringIO())
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "petitions_purged: 0" in out.getvalue()


def test_the_deletion_date_is_shown_before_signing(client, petition):
    page = client.get("/en/p/ban/").content.decode()
    assert "All personal data given here is deleted on" in page
    assert petition.deletion_date.strftime("%Y") in page


def test_an_undeliverable_mail_address_is_dropped_after_the_confirmation_window(
    client, petition, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "reclaim.letters.tests.test_retention.FailingBackend"
    sign(client, petition, django_capture_on_commit_callbacks)
    assert OutgoingMail.objects.count() == 1
    OutgoingMail.objects.update(created_at=timezone.now() - timedelta(days=8))
    call_command("purge", stdout=io.StringIO())
    assert not OutgoingMail.objects.exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")
