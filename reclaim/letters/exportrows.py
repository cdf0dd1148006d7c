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

from reclaim.lib.sealing import SealError, load_private_file, open_box, recipient_point

# (box, country, signed_at as ISO 8601) for each row sealed to the export's key.
ExportRow = tuple[bytes, str, str]

# The key of a worker process: loaded once, by the pool's initializer. The key file and
# passphrase reach the worker over the pool's pipe and are never written to disk.
_worker_key: tuple[ec.EllipticCurvePrivateKey, bytes] | None = None


def init_worker(key_file: bytes, passphrase: str) -> None:
    """Pool initializer: load the private key once per worker process."""
    global _worker_key
    _key_id, private_key = load_private_file(key_file, passphrase)
    _worker_key = (private_key, recipient_point(private_key))


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
    """write_rows with the key the pool initializer (init_worker) loaded."""
    assert _worker_key is not None, "init_worker was not run in this process"
    private_key, recipient = _worker_key
    return write_rows(private_key, recipient, rows, context, columns)
