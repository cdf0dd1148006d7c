"""Sealed signer data opens with the organiser's key file, and only with it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reclaim.audit.models import AuditEntry
from reclaim.keyring.models import PublicKey
from reclaim.keyring.services import create_key
from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import confirm, last_link, sign
from reclaim.lib.sealing import SealError, generate_keypair, load_private_file, open_box, seal

pytestmark = pytest.mark.django_db


def _signed(client, petition, capture, **fields):
    sign(client, petition, capture, **fields)
    confirm(client, last_link())
    return Signature.objects.get(email_hash__isnull=False, pk=Signature.objects.latest("pk").pk)


def test_a_sealed_record_decrypts_with_the_key_file(
    client, petition, keypair, django_capture_on_commit_callbacks, passphrase
):
    signature = _signed(
        client,
        petition,
        django_capture_on_commit_callbacks,
        name="Jane Doe",
        comment="Stop it",
        newsletter="on",
    )
    assert signature.key_id == keypair.key_id
    key_id, private_key = load_private_file(keypair.private_file, passphrase)
    assert key_id == keypair.key_id
    data = open_box(private_key, bytes(signature.sealed), petition.context())
    assert data == {
        "kind": "individual",
        "name": "Jane Doe",
        "email": "jane@example.org",
        "country": "DE",
        "listed": False,
        "newsletter": True,
        "comment": "Stop it",
    }


def test_it_does_not_decrypt_without_the_key_file_or_with_the_wrong_one(
    client, petition, keypair, django_capture_on_commit_callbacks, passphrase
):
    signature = _signed(client, petition, django_capture_on_commit_callbacks)
    with pytest.raises(SealError):
        load_private_file(keypair.private_file, "wrong passphrase!")
    other = generate_keypair("another long passphrase", "Someone else")
    _, other_key = load_private_file(other.private_file, "another long passphrase")
    with pytest.raises(SealError):
        open_box(other_key, bytes(signature.sealed), petition.context())
    # Nor does a box open under another petition's context: rows cannot be moved around.
    _, right_key = load_private_file(keypair.private_file, passphrase)
    with pytest.raises(SealError):
        open_box(right_key, bytes(signature.sealed), "petition/999")
    tampered = bytearray(signature.sealed)
    tampered[-1] ^= 1
    with pytest.raises(SealError):
        open_box(right_key, bytes(tampered), petition.context())


def test_the_key_file_holds_no_unencrypted_private_key(keypair):
    document = json.loads(keypair.private_file)
    assert "ENCRYPTED PRIVATE KEY" in document["private_key"]
    assert "BEGIN PRIVATE KEY" not in document["private_key"]
    stored = PublicKey.objects.get(key_id=keypair.key_id)
    assert "PRIVATE" not in stored.public_pem


def test_a_box_round_trips_unicode():
    pair = generate_keypair("a passphrase long enough", "EDRi")
    _, key = load_private_file(pair.private_file, "a passphrase long enough")
    from reclaim.lib.sealing import load_public_pem

    box = seal(load_public_pem(pair.public_pem), {"name": "Zoë Ørsted-Łukasz"}, "petition/1")
    assert open_box(key, box, "petition/1") == {"name": "Zoë Ørsted-Łukasz"}


def test_keys_create_writes_a_private_file_and_stores_only_the_public_key(tmp_path):
    passfile = tmp_path / "pass"
    passfile.write_text("a very good passphrase\n")
    out = tmp_path / "org.key.json"
    call_command(
        "keys", "create", "--holder", "EDRi", "--out", str(out), "--passphrase-file", str(passfile)
    )
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    key_id, _ = load_private_file(out.read_bytes(), "a very good passphrase")
    assert PublicKey.objects.filter(key_id=key_id).exists()
    assert AuditEntry.objects.filter(action="key.create").exists()
    with pytest.raises(CommandError):
        call_command(
            "keys",
            "create",
            "--holder",
            "EDRi",
            "--out",
            str(out),
            "--passphrase-file",
            str(passfile),
        )


def test_a_short_passphrase_is_refused(tmp_path):
    passfile = tmp_path / "pass"
    passfile.write_text("short")
    with pytest.raises(CommandError, match="at least 12"):
        call_command(
            "keys",
            "create",
            "--holder",
            "EDRi",
            "--out",
            str(tmp_path / "k"),
            "--passphrase-file",
            str(passfile),
        )
    assert not PublicKey.objects.exists()


def test_export_writes_csv_grouped_by_country_and_is_audited(
    client, petition, keypair, tmp_path, django_capture_on_commit_callbacks, passphrase
):
    for n, country in enumerate(["FR", "DE", "FR", "AT"]):
        _signed(
            client,
            petition,
            django_capture_on_commit_callbacks,
            name=f"Signer {n}",
            email=f"s{n}@example.org",
            country=country,
        )
    sign(client, petition, django_capture_on_commit_callbacks, email="unconfirmed@example.org")
    keyfile = tmp_path / "key.json"
    keyfile.write_bytes(keypair.private_file)
    passfile = tmp_path / "pass"
    passfile.write_text(passphrase)
    out = tmp_path / "out.csv"
    call_command(
        "export",
        "ban",
        "--key",
        str(keyfile),
        "--passphrase-file",
        str(passfile),
        "--out",
        str(out),
        "--by",
        "alice",
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [row["country"] for row in rows] == ["AT", "DE", "FR", "FR"]
    assert {row["name"] for row in rows} == {"Signer 0", "Signer 1", "Signer 2", "Signer 3"}
    assert "email" not in rows[0]
    entry = AuditEntry.objects.get(action="signature.export")
    assert entry.actor == "alice"
    assert entry.count == 4


def test_export_with_a_rotated_key_reports_rows_sealed_to_the_other_key(
    client, petition, keypair, tmp_path, django_capture_on_commit_callbacks, passphrase
):
    _signed(client, petition, django_capture_on_commit_callbacks, email="old@example.org")
    newer = create_key("EDRi", "the next passphrase", actor="test")
    _signed(client, petition, django_capture_on_commit_callbacks, email="new@example.org")
    assert Signature.objects.filter(key_id=newer.key_id).count() == 1
    keyfile = tmp_path / "old.json"
    keyfile.write_bytes(keypair.private_file)
    passfile = tmp_path / "pass"
    passfile.write_text(passphrase)
    err = io.StringIO()
    call_command(
        "export",
        "ban",
        "--key",
        str(keyfile),
        "--passphrase-file",
        str(passfile),
        "--out",
        str(tmp_path / "o.csv"),
        "--with-email",
        stderr=err,
    )
    assert "1 signatures written; 1 sealed to another key" in err.getvalue()
    assert "old@example.org" in (tmp_path / "o.csv").read_text()


def test_export_with_the_wrong_passphrase_fails_clearly(petition, keypair, tmp_path):
    keyfile = tmp_path / "key.json"
    keyfile.write_bytes(keypair.private_file)
    passfile = tmp_path / "pass"
    passfile.write_text("not the passphrase")
    with pytest.raises(CommandError, match="cannot be opened"):
        call_command("export", "ban", "--key", str(keyfile), "--passphrase-file", str(passfile))
    assert not AuditEntry.objects.filter(action="signature.export").exists()
