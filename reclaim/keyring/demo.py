"""The demo's sealing key: created unless a key is active, its private half left in the
data folder so that the demo's signatures can be exported at once.

A real key never sits next to the database: its holder keeps it offline. The step says so
every time it runs.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from reclaim.demo.steps import ACTOR, DemoContext, Report, Step
from reclaim.keyring.models import PublicKey
from reclaim.keyring.services import create_key

KEY_HOLDER = "European Digital Rights (EDRi)"
KEY_FILE = "demo-private-key.json"
PASSPHRASE_FILE = "demo-key-passphrase.txt"  # noqa: S105 (a file name, not a secret)


def _write_secret(path: Path, data: bytes) -> None:
    """Write a file that only its owner can read, replacing any earlier one. Created with
    its mode, never widened afterwards: there is no moment at which others could read it."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _key_id_in_file(path: Path) -> str | None:
    try:
        return json.loads(path.read_bytes()).get("key_id")
    except (OSError, ValueError, AttributeError):
        return None


def _shown(path: Path) -> str:
    """The path relative to the working directory when it lies below it (var/...)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def sealing_key(context: DemoContext) -> Report:
    report = Report("Sealing key")
    key_file = context.data_dir / KEY_FILE
    passphrase_file = context.data_dir / PASSPHRASE_FILE
    active = PublicKey.objects.active().first()
    if active is None:
        passphrase = secrets.token_urlsafe(24)
        pair = create_key(KEY_HOLDER, passphrase, actor=ACTOR)
        context.data_dir.mkdir(parents=True, exist_ok=True)
        _write_secret(key_file, pair.private_file)
        _write_secret(passphrase_file, f"{passphrase}\n".encode())
        key_id, holder, verb = pair.key_id, KEY_HOLDER, "Created"
    elif passphrase_file.exists() and _key_id_in_file(key_file) == active.key_id:
        key_id, holder, verb = active.key_id, active.holder, "Using"
    else:
        # The files beside the database are not this key's: the demo's data is sealed to a
        # key whose private half is elsewhere, with its holder.
        report.add(
            f"An active key already existed ({active.key_id[:12]}, held by {active.holder}); "
            "the demo data is sealed to it and only its holder can export it."
        )
        return report
    report.add(f"{verb} demo key {key_id[:12]} (holder: {holder}).")
    report.add(f"Private key: {_shown(key_file)}")
    report.add(f"Passphrase:  {_shown(passphrase_file)}")
    report.warnings.append(
        "DEMO ONLY: the private key and its passphrase sit next to the database. A real key "
        "lives offline with its holder; create one with `reclaim keys create`."
    )
    report.add("Export a campaign with:")
    report.add(
        f"  reclaim export <slug> --key {_shown(key_file)} "
        f"--passphrase-file {_shown(passphrase_file)}"
    )
    return report


STEPS = [Step("keyring.sealing_key", sealing_key)]
