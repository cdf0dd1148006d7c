"""Outbox addresses, encrypted under keys that are destroyed once no queued mail needs them.

An address must be readable until its mail is sent, and unrecoverable afterwards. Deleting
the outbox row is not enough: the database's write-ahead log (SQLite's ``-wal`` file,
PostgreSQL's ``pg_wal``), its freed pages and every backup keep a copy of what was written.
So the row never holds the address itself, only AES-256-GCM ciphertext under a key of the
current period (``OUTBOX_KEY_MINUTES``), and that key lives in a file outside the database
(``OUTBOX_KEY_DIR``). Once a period is over and no queued mail was written under its key,
the key file is overwritten and deleted (crypto-shredding): every copy of the ciphertext,
wherever the database left it, is then noise.

Keys are files, not rows, because a key written to the database would sit in the same
write-ahead log as the ciphertext it protects. Several processes queue mail: the first to
need a period's key makes it and publishes it with an atomic link, so a reader never sees
half a key, and all of them agree on it. On several hosts, ``OUTBOX_KEY_DIR`` must be a
directory they share (docs/deploy).
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import time
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

logger = logging.getLogger(__name__)

# Bound into every ciphertext, so a value copied from another column or format does not open.
ASSOCIATED_DATA = b"reclaim outbox address v1"
SUFFIX = ".key"


def key_dir() -> Path:
    return Path(settings.OUTBOX_KEY_DIR)


def period_seconds() -> int:
    return max(60, int(settings.RECLAIM["OUTBOX_KEY_MINUTES"]) * 60)


def current_period(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // period_seconds())


def _path(period: int) -> Path:
    return key_dir() / f"{period}{SUFFIX}"


def _read(period: int) -> bytes | None:
    try:
        key = _path(period).read_bytes()
    except FileNotFoundError:
        return None
    return key if len(key) == 32 else None


def _key_for(period: int) -> bytes:
    """The period's key, made by whichever process asks first."""
    key = _read(period)
    if key is not None:
        return key
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = folder / f".{period}.{secrets.token_hex(8)}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_bytes(32))
        # On disk before any mail is encrypted under it: a crash must not leave queued mails
        # whose key was only in the page cache (an acknowledged mail is never lost).
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(draft, _path(period))  # atomic: fails if another process published first
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    key = _read(period)
    if key is None:  # pragma: no cover - the file was just linked
        raise RuntimeError(f"outbox key {period} could not be read back")
    return key


def seal(address: str) -> tuple[int, str]:
    """Encrypt ``address`` under the current period's key: (period, text for the row)."""
    period = current_period()
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(_key_for(period)).encrypt(nonce, address.encode(), ASSOCIATED_DATA)
    return period, base64.b64encode(nonce + ciphertext).decode("ascii")


def unseal(period: int, sealed: str) -> str | None:
    """The address, or None once its key is destroyed (or the value is not ours)."""
    key = _read(period)
    if key is None:
        return None
    try:
        raw = base64.b64decode(sealed, validate=True)
        return AESGCM(key).decrypt(raw[:12], raw[12:], ASSOCIATED_DATA).decode()
    except (ValueError, InvalidTag, UnicodeDecodeError):
        return None


def kept_periods() -> list[int]:
    """The periods whose key still exists, oldest first."""
    if not key_dir().is_dir():
        return []
    return sorted(
        int(path.stem) for path in key_dir().glob(f"*{SUFFIX}") if path.stem.lstrip("-").isdigit()
    )


def shred(period: int) -> None:
    """Overwrite the key file, then delete it: the key cannot be read back from the file
    system's free blocks through the file, and every ciphertext made under it is lost."""
    path = _path(period)
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return
    try:
        os.write(fd, bytes(32))
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)


# --- Addresses kept at rest -------------------------------------------------------------
#
# A newsletter subscriber's address (or a comment's reply address) must stay readable for as
# long as the person wants mail, so the short-lived period keys above do not fit. These use
# one long-lived AES-256-GCM key, again in a file of OUTBOX_KEY_DIR and never in the
# database: a dump of the database (with its write-ahead log and backups) alone reveals no
# address. The blob names the key it was made under, so a new key can be introduced later
# (a higher number) while older blobs still open; re-sealing them and shredding the old key
# is then a one-off task.

REST_VERSION = 1
REST_ASSOCIATED_DATA = b"reclaim address at rest v1"
# A suffix of its own: kept_periods() and shred_keys() only ever see the period keys.
REST_PREFIX = "at-rest-"
REST_SUFFIX = ".aeskey"


def _rest_path(key_id: int) -> Path:
    return key_dir() / f"{REST_PREFIX}{key_id}{REST_SUFFIX}"


def _rest_key_ids() -> list[int]:
    if not key_dir().is_dir():
        return []
    ids = []
    for path in key_dir().glob(f"{REST_PREFIX}*{REST_SUFFIX}"):
        number = path.name[len(REST_PREFIX) : -len(REST_SUFFIX)]
        if number.isdigit():
            ids.append(int(number))
    return sorted(ids)


def _read_rest(key_id: int) -> bytes | None:
    try:
        key = _rest_path(key_id).read_bytes()
    except FileNotFoundError:
        return None
    return key if len(key) == 32 else None


def _current_rest_key() -> tuple[int, bytes]:
    """The newest at-rest key, made (0600, atomically) by whichever process asks first."""
    ids = _rest_key_ids()
    if ids:
        key = _read_rest(ids[-1])
        if key is not None:
            return ids[-1], key
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = folder / f".{REST_PREFIX}{secrets.token_hex(8)}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_bytes(32))
        # On disk before anything is sealed under it: losing it would lose every address.
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(draft, _rest_path(1))  # atomic: fails if another process published first
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    key = _read_rest(1)
    if key is None:  # pragma: no cover - the file was just linked
        raise RuntimeError("the at-rest address key could not be read back")
    return 1, key


def seal_at_rest(address: str) -> bytes:
    """Encrypt ``address`` for long-term storage: version, key id, nonce, ciphertext."""
    key_id, key = _current_rest_key()
    nonce = secrets.token_bytes(12)
    header = bytes([REST_VERSION]) + key_id.to_bytes(4, "big")
    ciphertext = AESGCM(key).encrypt(nonce, address.encode(), REST_ASSOCIATED_DATA + header)
    return header + nonce + ciphertext


def open_at_rest(blob: bytes | memoryview) -> str:
    """The address sealed by seal_at_rest(); ValueError if its key is gone or it is not ours."""
    raw = bytes(blob)
    if len(raw) < 5 + 12 + 16 or raw[0] != REST_VERSION:
        raise ValueError("not an at-rest address")
    header, nonce, ciphertext = raw[:5], raw[5:17], raw[17:]
    key = _read_rest(int.from_bytes(header[1:5], "big"))
    if key is None:
        raise ValueError("the key of this address is gone")
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, REST_ASSOCIATED_DATA + header).decode()
    except (InvalidTag, UnicodeDecodeError) as error:
        raise ValueError("this address does not open") from error
