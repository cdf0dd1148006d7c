"""Outbox addresses are ciphertext under keys that are destroyed: nothing on disk reveals one.

Deleting the outbox row once the mail is sent is not enough, because the database keeps
copies of what it wrote (SQLite's write-ahead log, PostgreSQL's pg_wal, freed pages,
backups). These tests read the database and the data folder as raw bytes."""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from reclaim.letters.tests.helpers import confirm, last_link, sign
from reclaim.mail import addresses
from reclaim.mail.models import OutgoingMail
from reclaim.mail.services import SHRED_GRACE_SECONDS, deliver_pending, queue_mail, shred_keys

ACCESS_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/privacy/data/r/[A-Za-z0-9_\-]+/)")


def after_the_grace() -> float:
    """A moment at which the current period's key may be destroyed if no mail needs it."""
    return time.time() + addresses.period_seconds() + SHRED_GRACE_SECONDS + 1


@pytest.mark.django_db
def test_the_outbox_column_holds_ciphertext_only(
    client, petition, django_capture_on_commit_callbacks
):
    address = f"cipher.{secrets.token_hex(4)}@example.net"
    with django_capture_on_commit_callbacks(execute=False):  # the mail stays queued
        client.post(
            f"/en/p/{petition.slug}/",
            {"as": "individual", "name": "J", "email": address, "country": "AT"},
        )
    queued = OutgoingMail.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM mail_outgoingmail")
        raw = repr(cursor.fetchall())
    assert address not in raw
    assert address.split("@")[0] not in raw
    assert "@" not in queued.to_sealed
    # ... and the worker can still read it, because the key exists.
    assert queued.to_email == address


@pytest.mark.django_db
def test_a_sent_mails_address_cannot_be_read_once_its_key_is_shredded(petition):
    mail_row = queue_mail("letters.confirm", "gone@example.net", "en", object_id=None)
    period, sealed = mail_row.key_period, mail_row.to_sealed
    assert addresses.unseal(period, sealed) == "gone@example.net"

    deliver_pending()
    assert not OutgoingMail.objects.exists()
    assert shred_keys(now=after_the_grace()) >= 1

    assert addresses.unseal(period, sealed) is None
    assert period not in addresses.kept_periods()


@pytest.mark.django_db
def test_a_key_is_kept_while_its_period_runs_and_while_a_queued_mail_needs_it(petition):
    queued = queue_mail("letters.confirm", "waiting@example.net", "en")

    assert shred_keys() == 0  # the period is still running
    assert shred_keys(now=after_the_grace()) == 0  # a queued mail still needs the key
    assert OutgoingMail.objects.get().to_email == "waiting@example.net"
    assert queued.key_period in addresses.kept_periods()


@pytest.mark.django_db
def test_a_mail_whose_key_is_lost_is_dropped_not_sent_to_garbage(petition):
    queued = queue_mail("letters.confirm", "lost@example.net", "en")
    addresses.shred(queued.key_period)

    assert deliver_pending() == 0
    assert not mail.outbox
    assert not OutgoingMail.objects.exists()


def test_processes_agree_on_one_key_per_period(tmp_path, settings):
    settings.OUTBOX_KEY_DIR = tmp_path
    period, sealed = addresses.seal("a@example.net")
    # A second process finds the published file and uses the same key.
    assert addresses._key_for(period) == (tmp_path / f"{period}.key").read_bytes()
    assert addresses.unseal(period, sealed) == "a@example.net"
    assert (tmp_path / f"{period}.key").stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == [f"{period}.key"]  # no draft left


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="reads the SQLite files of the data folder; on PostgreSQL the test above shows "
    "that the outbox column holds ciphertext only",
)
@pytest.mark.django_db(transaction=True)
def test_no_address_name_or_comment_survives_on_disk_after_signing_mailing_confirming_and_erasing(
    client, petition, django_capture_on_commit_callbacks, settings
):
    marker = secrets.token_hex(5)
    # The default install's cache is on disk too (throttles, lockouts): in the data folder.
    cache_dir = Path(settings.DATA_DIR) / f"test-cache-{marker}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.DISK_CACHE, "LOCATION": str(cache_dir)},
    }
    address = f"Raw.Disk.{marker}@Example.net"
    name = f"Quentin Rawdisk{marker}"
    comment = f"My private remark {marker}"
    capture = django_capture_on_commit_callbacks

    sign(client, petition, capture, email=address, name=name, comment=comment)
    confirm(client, last_link())
    with capture(execute=True):
        client.post("/en/privacy/data/", {"email": address})
    link = ACCESS_LINK.search(mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    assert client.post(link.group(1) + "erase/").status_code == 200
    assert not OutgoingMail.objects.exists()
    shred_keys(now=after_the_grace())

    # The marker is in the address, the name and the comment, and nowhere else: looking for
    # it, in any case, finds any of them however it was normalised or encoded.
    found = []
    folder = Path(settings.DATA_DIR)
    for path in folder.rglob("*"):
        if path.is_file():
            raw = path.read_bytes().lower()
            if marker.encode() in raw or marker.encode("utf-16-le") in raw:
                found.append(str(path.relative_to(folder)))
    assert not found, f"{marker} found in {found}"
    assert any(cache_dir.rglob("*.db")), "the test must have read the disk cache"
    shutil.rmtree(cache_dir)
    assert any(folder.glob("*.sqlite3-wal")), "the test must have read a write-ahead log"
    with connection.cursor() as cursor:  # freed pages are zeroed, not left with old rows
        assert cursor.execute("PRAGMA secure_delete").fetchone() == (1,)
