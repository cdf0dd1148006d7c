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
from reclaim.letters.retention import petitions_due, purge_petition
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


def _bulk_signers(petition: Petition, other: Petition, count: int) -> None:
    """People listed and not, approved organisations, an unconfirmed row; with rows of
    another petition between them, so that id ranges hold rows that must not be touched."""
    now = timezone.now()
    rows = []
    for n in range(count):
        organisation = n % 4 == 0
        listed = n % 3 != 1
        for target in (petition, other) if n % 5 == 0 else (petition,):
            rows.append(
                Signature(
                    petition=target,
                    kind=Signature.Kind.ORGANISATION if organisation else Signature.Kind.INDIVIDUAL,
                    country="FR" if n % 2 else "DE",
                    language="en",
                    created_at=now - timedelta(hours=n),
                    confirmed_at=None if n == 7 else now,
                    sealed=b"box %d" % n,
                    key_id="k1",
                    email_hash=f"h{n}",
                    token_hash=f"t{n}-{target.slug}" if n == 7 else None,
                    source_hash=f"s{n}",
                    email_domain_hash=f"d{n}",
                    public_name=f"Name {n}" if listed else "",
                    public_website="https://example.org/" if organisation else "",
                    listed=listed,
                    review=Signature.Review.APPROVED if organisation else "",
                )
            )
    Signature.objects.bulk_create(rows)


PERSONAL = ["sealed", "email_hash", "token_hash", "source_hash", "email_domain_hash"]
KEPT = ["kind", "country", "language", "created_at", "confirmed_at", "key_id", "review"]


def _state(petition: Petition) -> dict[int, dict[str, object]]:
    fields = [*PERSONAL, *KEPT, "public_name", "public_website", "listed"]
    fields.append("personal_data_deleted_at")
    return {
        row["id"]: row for row in Signature.objects.filter(petition=petition).values("id", *fields)
    }


def _expected_after_purge(before: dict[str, object]) -> dict[str, object]:
    """What one purge does to a row: personal fields to NULL (or empty where the column
    is not nullable), names of people gone, organisations left on the public record."""
    after = {k: v for k, v in before.items() if k != "personal_data_deleted_at"}
    after.update(sealed=None, email_hash=None, token_hash=None, source_hash="")
    after.update(email_domain_hash="")
    if before["kind"] == Signature.Kind.INDIVIDUAL and before["public_name"]:
        after.update(public_name="", listed=False)
    return after


def test_a_purge_in_batches_wipes_every_row_as_one_purge_would(petition, letter):
    _bulk_signers(petition, letter, 23)
    before = _state(petition)
    untouched = _state(letter)

    wiped = purge_petition(petition, "test", batch_size=4)

    assert wiped == 23
    after = _state(petition)
    stamps = {row.pop("personal_data_deleted_at") for row in after.values()}
    assert len(stamps) == 1 and None not in stamps
    assert after == {pk: _expected_after_purge(row) for pk, row in before.items()}
    organisations = [row for row in after.values() if row["kind"] == "organisation"]
    assert organisations and all(row["public_website"] for row in organisations)
    assert any(row["public_name"] and row["listed"] for row in organisations)
    assert _state(letter) == untouched
    petition.refresh_from_db()
    assert petition.data_purged_at == stamps.pop()
    entry = AuditEntry.objects.get(action="signature.purge_petition")
    assert entry.count == 23
    assert entry.detail["batches"] == 6
    assert entry.target == f"petition:{petition.pk}"
    assert purge_petition(petition, "test", batch_size=4) == 0


def test_an_interrupted_purge_keeps_whole_batches_and_a_second_run_finishes(
    petition, letter, monkeypatch
):
    _bulk_signers(petition, letter, 23)
    before = _state(petition)
    _close_past_retention(petition)
    update = type(Signature.objects.all()).update
    calls = []

    def crash_on_second_batch(queryset, **values):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("killed")
        return update(queryset, **values)

    monkeypatch.setattr(type(Signature.objects.all()), "update", crash_on_second_batch)
    with pytest.raises(OSError, match="killed"):
        purge_petition(petition, "test", batch_size=4)
    monkeypatch.undo()

    middle = _state(petition)
    done = {pk for pk, row in middle.items() if row["personal_data_deleted_at"] is not None}
    assert done == set(sorted(before)[:4])
    for pk, row in middle.items():
        row.pop("personal_data_deleted_at")
        unchanged = {k: v for k, v in before[pk].items() if k != "personal_data_deleted_at"}
        assert row == (_expected_after_purge(before[pk]) if pk in done else unchanged)
    petition.refresh_from_db()
    assert petition.data_purged_at is None
    assert petition in petitions_due()
    partial = AuditEntry.objects.get(action="signature.purge_petition")
    assert partial.count == 4
    assert partial.detail["complete"] is False

    first_stamp = Signature.objects.get(pk=min(done)).personal_data_deleted_at
    assert purge_petition(petition, "test", batch_size=4) == 19
    after = _state(petition)
    assert all(row["personal_data_deleted_at"] for row in after.values())
    assert Signature.objects.get(pk=min(done)).personal_data_deleted_at == first_stamp
    for pk, row in after.items():
        row.pop("personal_data_deleted_at")
        assert row == _expected_after_purge(before[pk])
    petition.refresh_from_db()
    assert petition.data_purged_at is not None
    assert petition not in petitions_due()
    counts = AuditEntry.objects.filter(action="signature.purge_petition").values_list("count")
    assert sorted(n for (n,) in counts) == [4, 19]


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
