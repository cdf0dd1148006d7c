"""The CSV rows of an export, written where the boxes are opened.

Free of Django on purpose: large exports run this in spawned worker processes
(reclaim.letters.export), which import this module and nothing that touches the
database. A worker opens its chunk's boxes and returns the chunk as CSV text, so that
the parent only reads rows and writes text: returning the opened payloads instead made
the parent unpickle and format every row itself, and the pool slower than one process.
"""

from __future__ import annotations

import csv
import io

from cryptography.hazmat.primitives.asymmetric import ec

from reclaim.lib import sealing
from reclaim.lib.sealing import SealError, open_box

# (box, country, signed_at as ISO 8601) for each row sealed to the export's key.
ExportRow = tuple[bytes, str, str]


def write_rows(
    private_key: ec.EllipticCurvePrivateKey,
    recipient: bytes,
    rows: list[ExportRow],
    context: str,
    columns: list[str],
) -> tuple[str, int, int]:
    """(CSV text, rows written, boxes that did not open) for a chunk, in order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    written = unreadable = 0
    for box, country, signed_at in rows:
        try:
            data = open_box(private_key, box, context, recipient)
        except SealError:
            unreadable += 1
            continue
        data.update(country=country, signed_at=signed_at)
        writer.writerow(data)
        written += 1
    return buffer.getvalue(), written, unreadable


def write_rows_in_worker(
    rows: list[ExportRow], context: str, columns: list[str]
) -> tuple[str, int, int]:
    """write_rows with the key the pool initializer (sealing.init_worker) loaded."""
    assert sealing._worker_key is not None, "init_worker was not run in this process"
    private_key, recipient = sealing._worker_key
    return write_rows(private_key, recipient, rows, context, columns)
