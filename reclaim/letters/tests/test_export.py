"""Large exports open boxes in worker processes and write the same CSV as one process."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.letters import export
from reclaim.letters.export import export_csv
from reclaim.letters.models import Signature
from reclaim.lib.sealing import generate_keypair, load_public_pem, seal

pytestmark = pytest.mark.django_db


def _rows(petition, keypair, count: int) -> None:
    """Confirmed signatures in several countries, in no particular order of id, plus one
    sealed to another key and one whose box is damaged."""
    public = load_public_pem(keypair.public_pem)
    other = generate_keypair("another long passphrase", "Someone else")
    now = timezone.now()
    countries = ["FR", "DE", "AT", "IT"]
    rows = []
    for n in range(count):
        payload = {
            "kind": "individual",
            "name": f"Signer {n} Zoë",
            "email": f"s{n}@example.org",
            "country": countries[n % 4],
            "listed": n % 3 == 0,
            "newsletter": False,
            "comment": "Stop it, now" if n % 5 == 0 else "",
        }
        rows.append(
            Signature(
                petition=petition,
                kind=Signature.Kind.INDIVIDUAL,
                country=countries[n % 4],
                language="en",
                # Equal times for some rows: the id breaks the tie, in both paths.
                created_at=now - timedelta(minutes=(n * 7) % 13),
                confirmed_at=now,
                sealed=seal(public, payload, petition.context()),
                key_id=keypair.key_id,
                email_hash=f"h{n}",
            )
        )
    rows[3].sealed = seal(load_public_pem(other.public_pem), {"name": "x"}, petition.context())
    rows[3].key_id = other.key_id
    damaged = bytearray(rows[10].sealed)
    damaged[-1] ^= 1
    rows[10].sealed = bytes(damaged)
    Signature.objects.bulk_create(rows)


def _export(petition, keypair, passphrase, **options) -> tuple[str, export.ExportResult]:
    out = io.StringIO()
    result = export_csv(petition, keypair.private_file, passphrase, out, "alice", **options)
    return out.getvalue(), result


def test_a_large_export_in_worker_processes_writes_the_same_csv_as_one_process(
    petition, keypair, passphrase, monkeypatch
):
    _rows(petition, keypair, 60)
    here, in_process = _export(petition, keypair, passphrase, with_email=True, processes=1)

    # Small chunks, so that several are in flight and the window wraps around.
    monkeypatch.setattr(export, "CHUNK", 7)
    spawned = []
    pool_path = export._open_in_pool

    def counting(*args, **kwargs):
        spawned.append(args[-1])
        return pool_path(*args, **kwargs)

    monkeypatch.setattr(export, "_open_in_pool", counting)
    pooled, in_pool = _export(
        petition, keypair, passphrase, with_email=True, processes=2, parallel_from=10
    )

    assert spawned == [2]
    assert pooled == here
    assert in_pool == in_process == export.ExportResult(written=58, other_key=1, unreadable=1)
    lines = pooled.splitlines()
    assert lines[0].endswith(",email")
    assert [line.split(",")[0] for line in lines[1:]] == sorted(
        line.split(",")[0] for line in lines[1:]
    )
    assert AuditEntry.objects.filter(action="signature.export", count=58).count() == 2


def test_a_small_export_stays_in_one_process(petition, keypair, passphrase, monkeypatch):
    _rows(petition, keypair, 12)

    def no_pool(*args, **kwargs):
        raise AssertionError("no pool for a small export")

    monkeypatch.setattr(export, "_open_in_pool", no_pool)
    _csv, result = _export(petition, keypair, passphrase, processes=2, parallel_from=12)
    assert result == export.ExportResult(written=10, other_key=1, unreadable=1)
