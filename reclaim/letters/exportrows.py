"""The CSV rows of an export, written where the boxes are opened.

Free of Django on purpose: large exports run this in spawned worker processes
(reclaim.letters.export), which import this module and nothing that touches the
database. A worker opens its chunk's boxes and returns the chunk as CSV text, so that
the parent only reads rows and writes text: returning the opened payloads instead made
the parent unpickle and format every row itself, and the pool slower than one process.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from reclaim.lib import safecsv
from reclaim.lib.sealing import SealError, load_private_file, open_box, recipient_point

# (box, country, signed_at as ISO 8601) for each row sealed to the export's key.
ExportRow = tuple[bytes, str, str]

# What the signing forms refuse in text (reclaim.lib.text), looked for again in every box:
# a box sealed in the signer's browser was checked there only (docs/sealed-box.md).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
_DIRECTION_CONTROLS = frozenset(
    chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_TEXT_ALLOWED = frozenset("\t\n\r")
_MULTILINE = frozenset({"comment"})
_KINDS = frozenset({"individual", "organisation"})
_REQUIRED = ("name", "email")


def _invisible(value: str, allowed: frozenset[str]) -> bool:
    return any(
        (unicodedata.category(ch) in _INVISIBLE_CATEGORIES or ch in _DIRECTION_CONTROLS)
        and ch not in allowed
        for ch in value
    )


def looks_odd(data: Mapping[str, Any], limits: Mapping[str, int]) -> bool:
    """Whether an opened payload holds what the signing form would have refused: a missing
    name or email, text longer than ``limits`` (the forms' lengths, by key), invisible or
    text-direction characters, a value that is not text, an unknown kind. Such a row is
    still written, as it is, and counted, so that the organiser can check it."""
    if data.get("kind") not in _KINDS:
        return True
    for key in _REQUIRED:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            return True
    for key, limit in limits.items():
        value = data.get(key, "")
        if not isinstance(value, str) or len(value) > limit:
            return True
        if _invisible(value, _TEXT_ALLOWED if key in _MULTILINE else frozenset()):
            return True
    return False


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
    limits: Mapping[str, int],
) -> tuple[str, int, int, int]:
    """(CSV text, rows written, boxes that did not open, rows written that look odd) for
    a chunk, in order; see looks_odd for ``limits``."""
    buffer = io.StringIO()
    # Safe to open in a spreadsheet: a name or comment starting with "=" is written as
    # text, not run as a formula on the organiser's machine (reclaim.lib.safecsv).
    writer = safecsv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    written = unreadable = odd = 0
    for box, country, signed_at in rows:
        try:
            data = open_box(private_key, box, context, recipient)
        except SealError:
            unreadable += 1
            continue
        odd += looks_odd(data, limits)
        data.update(country=country, signed_at=signed_at)
        writer.writerow(data)
        written += 1
    return buffer.getvalue(), written, unreadable, odd


def write_rows_in_worker(
    rows: list[ExportRow], context: str, columns: list[str], limits: Mapping[str, int]
) -> tuple[str, int, int, int]:
    """write_rows with the key the pool initializer (init_worker) loaded."""
    assert _worker_key is not None, "init_worker was not run in this process"
    private_key, recipient = _worker_key
    return write_rows(private_key, recipient, rows, context, columns, limits)
