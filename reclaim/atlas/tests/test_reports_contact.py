"""A report's optional contact address: its deletion date on the form, double opt-in,
sealed at rest; retention of addresses and decided reports; the data-subject finder."""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from reclaim.atlas.models import Device, Photo, Report
from reclaim.atlas.services import reports as services
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures_reports import (
    CONTACT_LINK,
    form,
    jpeg_with_metadata,
    post,
    send_mail_now,
    upload,
)
from reclaim.audit.models import AuditEntry
from reclaim.lib.emailhash import email_hash
from reclaim.mail.addresses import open_at_rest, seal_at_rest
from reclaim.mail.models import OutgoingMail
from reclaim.privacy.purge import policies

ADDRESS = "mara@example.org"
ACCESS_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/privacy/data/r/[A-Za-z0-9_\-]+/)")
SQLITE = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def _report(**fields: Any) -> Report:
    values: dict[str, Any] = {
        "kind": Report.Kind.DEVICE,
        "description": "A camera.",
        "place": "A square",
        "seen_on": timezone.localdate(),
        "language": "en",
    }
    values.update(fields)
    return Report.objects.create(**values)


def _with_contact(address: str = ADDRESS, **fields: Any) -> Report:
    values: dict[str, Any] = {
        "contact": seal_at_rest(address),
        "contact_hash": email_hash(address),
        "contact_delete_after": timezone.localdate() + timedelta(days=90),
    }
    return _report(**(values | fields))


@pytest.mark.django_db
def test_the_form_shows_when_a_contact_address_is_deleted(client: Client):
    body = client.get("/en/atlas/report/").content.decode()
    deletion = timezone.localdate() + timedelta(days=90)
    assert f"it is deleted on {date_format(deletion, 'DATE_FORMAT')}" in body
    assert "If you leave an address, it is deleted on" in body
    german = client.get("/de/atlas/report/").content.decode()
    from django.utils import translation

    with translation.override("de"):
        assert date_format(deletion, "DATE_FORMAT") in german


@pytest.mark.django_db
def test_the_address_is_sealed_and_the_opt_in_link_confirms_only_by_post(
    client: Client, django_capture_on_commit_callbacks: Any
):
    response = post(client, form(contact=ADDRESS), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    report = Report.objects.get()
    raw = bytes(report.contact or b"")
    assert ADDRESS.encode() not in raw
    assert open_at_rest(raw) == ADDRESS
    assert report.contact_hash == email_hash(ADDRESS)
    assert report.contact_confirmed_at is None
    assert report.contact_delete_after == timezone.localdate() + timedelta(days=90)
    # Only confirmed addresses are for reviewers.
    assert services.contact_address(report) is None

    send_mail_now()
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert "Please confirm the contact address of your report" in message.subject
    path = CONTACT_LINK.search(message.body).group(1)
    assert date_format(report.contact_delete_after, "DATE_FORMAT") in message.body

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm your contact address" in page.content.decode()
    report.refresh_from_db()
    assert report.contact_confirmed_at is None

    confirmed = client.post(path, HTTP_SEC_FETCH_SITE="same-origin")
    assert confirmed.status_code == 302
    report.refresh_from_db()
    assert report.contact_confirmed_at is not None
    assert services.contact_address(report) == ADDRESS
    assert "Contact address confirmed" in client.get(path).content.decode()
    assert AuditEntry.objects.filter(action="atlas.report_contact_confirm").count() == 1
    # A second press changes nothing.
    client.post(path, HTTP_SEC_FETCH_SITE="same-origin")
    assert AuditEntry.objects.filter(action="atlas.report_contact_confirm").count() == 1


@pytest.mark.django_db
def test_the_opt_in_mail_speaks_the_report_s_language(
    client: Client, django_capture_on_commit_callbacks: Any
):
    post(
        client,
        form(contact=ADDRESS),
        url="/fr/atlas/report/",
        capture=django_capture_on_commit_callbacks,
    )
    send_mail_now()
    [message] = mail.outbox
    assert "/fr/atlas/report/contact/" in message.body


@pytest.mark.django_db
def test_a_wrong_expired_or_erased_link_changes_nothing(client: Client):
    assert client.get("/en/atlas/report/contact/nonsense/").status_code == 404
    assert client.post("/en/atlas/report/contact/nonsense/").status_code == 404

    old = _with_contact(created_at=timezone.now() - timedelta(days=8))
    token = services.contact_token(old)
    assert client.post(f"/en/atlas/report/contact/{token}/").status_code in (404, 410)
    old.refresh_from_db()
    assert old.contact_confirmed_at is None

    erased = _with_contact()
    token = services.contact_token(erased)
    Report.objects.filter(pk=erased.pk).update(contact=None, contact_hash="")
    assert client.post(f"/en/atlas/report/contact/{token}/").status_code == 404

    # A link for one address does not confirm another one later left on the same report.
    replaced = _with_contact()
    token = services.contact_token(replaced)
    Report.objects.filter(pk=replaced.pk).update(contact=seal_at_rest("other@example.org"))
    assert client.post(f"/en/atlas/report/contact/{token}/").status_code == 404
    assert not Report.objects.filter(contact_confirmed_at__isnull=False).exists()


@pytest.mark.skipif(not SQLITE, reason="reads the SQLite files of the data folder")
@pytest.mark.django_db(transaction=True)
def test_a_dump_of_the_database_reveals_no_contact_address(
    client: Client, django_capture_on_commit_callbacks: Any
):
    from reclaim.mail import addresses
    from reclaim.mail.services import SHRED_GRACE_SECONDS, shred_keys

    marker = secrets.token_hex(5)
    address = f"Report.Disk.{marker}@Example.net"
    post(client, form(contact=address), capture=django_capture_on_commit_callbacks)
    send_mail_now()
    path = CONTACT_LINK.search(mail.outbox[-1].body).group(1)
    client.post(path, HTTP_SEC_FETCH_SITE="same-origin")
    assert Report.objects.get().contact_confirmed_at is not None
    shred_keys(now=time.time() + addresses.period_seconds() + SHRED_GRACE_SECONDS + 1)

    database = Path(django_settings.DATABASES["default"]["NAME"])
    files = [p for p in database.parent.glob(database.name + "*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files), "the test must read a write-ahead log"
    for file in files:
        raw = file.read_bytes().lower()
        assert marker.encode() not in raw, file
        assert marker.encode("utf-16-le") not in raw, file
    Report.objects.all().delete()


@pytest.mark.django_db
def test_the_report_table_holds_no_readable_address(
    client: Client, django_capture_on_commit_callbacks: Any
):
    post(client, form(contact=ADDRESS), capture=django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM atlas_report")
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM mail_outgoingmail")
        rows += cursor.fetchall()
    raw = repr(rows).encode() + b"".join(
        bytes(value) for row in rows for value in row if isinstance(value, (bytes, memoryview))
    )
    assert ADDRESS.encode() not in raw.lower() and b"mara" not in raw.lower()


# --- Retention ------------------------------------------------------------------------


def _policy(name: str) -> Any:
    return next(p for p in policies() if p.name == name)


@pytest.mark.django_db
def test_contact_addresses_are_erased_on_their_date_or_unconfirmed_after_the_window():
    now = timezone.now()
    today = timezone.localdate()
    due = _with_contact(contact_confirmed_at=now, contact_delete_after=today)
    kept = _with_contact(contact_confirmed_at=now, contact_delete_after=today + timedelta(days=1))
    lapsed = _with_contact(created_at=now - timedelta(days=8))
    waiting = _with_contact(created_at=now - timedelta(days=6))
    without = _report()

    policy = _policy("atlas_report_contacts_erased")
    assert policy.count_due() == 2
    assert policy.run() == 2
    for report in (due, lapsed):
        report.refresh_from_db()
        assert report.contact is None and report.contact_hash == ""
        assert report.contact_confirmed_at is None and report.contact_delete_after is None
        # The report itself stays for its review.
        assert report.description == "A camera."
    for report in (kept, waiting):
        report.refresh_from_db()
        assert report.contact is not None and report.contact_hash
    without.refresh_from_db()
    assert policy.count_due() == 0
    assert AuditEntry.objects.get(action="atlas.report_contact_purge").count == 2


@pytest.mark.django_db
def test_decided_reports_are_deleted_after_their_period_but_a_device_keeps_its_photos(
    make_device: Any,
):
    now = timezone.now()
    photo = services.process_photo(upload(jpeg_with_metadata((40, 30))))

    def with_photo(report: Report) -> Photo:
        made = Photo(
            content=photo.content,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            version=photo.version,
            report=report,
        )
        made.save()
        return made

    rejected = _report(state=Report.State.REJECTED, decided_at=now - timedelta(days=31))
    rejected_photo = with_photo(rejected)
    accepted = _report(state=Report.State.ACCEPTED, decided_at=now - timedelta(days=31))
    device: Device = make_device()
    moved = with_photo(accepted)
    Photo.objects.filter(pk=moved.pk).update(device=device, report=None)
    recent = _report(state=Report.State.REJECTED, decided_at=now - timedelta(days=29))
    recent_photo = with_photo(recent)
    pending = _report(created_at=now - timedelta(days=400))
    pending_photo = with_photo(pending)

    policy = _policy("atlas_reports_decided_deleted")
    assert policy.count_due() == 2
    assert policy.run() == 2
    assert set(Report.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not Photo.objects.filter(pk=rejected_photo.pk).exists()
    assert Photo.objects.get(pk=moved.pk).device == device
    assert Photo.objects.filter(pk__in=[recent_photo.pk, pending_photo.pk]).count() == 2
    assert policy.count_due() == 0
    assert AuditEntry.objects.get(action="atlas.report_purge").count == 2


# --- Data-subject requests ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_data_request_finds_the_reports_and_erasing_deletes_them(
    client: Client, django_capture_on_commit_callbacks: Any, make_device: Any
):
    post(
        client,
        form(contact=ADDRESS, description="The camera by the bakery.")
        | {"photos": upload(jpeg_with_metadata((40, 30)))},
        capture=django_capture_on_commit_callbacks,
    )
    other = _with_contact("someone.else@example.org")
    anonymous = _report(description="No address left.")
    mail.outbox.clear()
    OutgoingMail.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/privacy/data/", {"email": ADDRESS}, HTTP_SEC_FETCH_SITE="same-origin")
    send_mail_now()
    link = ACCESS_LINK.search(mail.outbox[-1].body).group(1)
    page = client.get(link).content.decode()
    assert "Reports to the surveillance atlas" in page
    assert "The camera by the bakery." in page

    mine = Report.objects.get(contact_hash=email_hash(ADDRESS))
    assert client.post(link + "erase/", HTTP_SEC_FETCH_SITE="same-origin").status_code == 200
    assert not Report.objects.filter(pk=mine.pk).exists()
    assert not Photo.objects.exists()
    assert set(Report.objects.values_list("pk", flat=True)) == {other.pk, anonymous.pk}
    assert AuditEntry.objects.filter(action="atlas.report_erase").exists()


@pytest.mark.django_db
def test_the_finder_finds_nothing_for_an_erased_address():
    report = _with_contact()
    assert [r.pk for r in services.found_for(email_hash(ADDRESS))] == [report.pk]
    Report.objects.filter(pk=report.pk).update(contact=None, contact_hash="")
    assert not services.found_for(email_hash(ADDRESS)).exists()
    assert not services.found_for("").exists()
