"""Delivery exports: decrypt sealed signatures with the organiser's offline key file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import IO, Any

from reclaim.audit.services import record
from reclaim.letters.models import Petition, Signature
from reclaim.lib.sealing import SealError, load_private_file, open_box

COLUMNS = ["country", "kind", "name", "website", "contact_name", "comment", "listed", "signed_at"]


@dataclass
class ExportResult:
    written: int
    other_key: int
    unreadable: int


def export_csv(
    petition: Petition,
    key_file: bytes,
    passphrase: str,
    out: IO[str],
    actor: Any,
    with_email: bool = False,
) -> ExportResult:
    """Write confirmed, valid signatures as CSV grouped by country, for the recipients."""
    key_id, private_key = load_private_file(key_file, passphrase)
    columns = COLUMNS + (["email"] if with_email else [])
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    rows = (
        Signature.objects.counted()
        .filter(petition=petition, sealed__isnull=False)
        .order_by("country", "kind", "created_at", "pk")
        .values_list("sealed", "key_id", "country", "created_at")
    )
    result = ExportResult(0, 0, 0)
    context = petition.context()
    for sealed, row_key, country, created_at in rows.iterator(chunk_size=2000):
        if row_key != key_id:
            result.other_key += 1
            continue
        try:
            data = open_box(private_key, bytes(sealed or b""), context)
        except SealError:
            result.unreadable += 1
            continue
        data.update(country=country, signed_at=created_at.isoformat())
        writer.writerow(data)
        result.written += 1
    record(
        actor,
        "signature.export",
        target=f"petition:{petition.pk}",
        count=result.written,
        key_id=key_id,
        with_email=with_email,
    )
    return result
