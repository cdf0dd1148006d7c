"""`reclaim keys create|list|retire`: manage the keys that signer data is sealed to."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reclaim.keyring.models import PublicKey
from reclaim.keyring.services import create_key, retire_key


def read_passphrase(option: str | None, confirm: bool) -> str:
    """From a file (for scripts) or typed twice at a hidden prompt."""
    if option:
        return Path(option).read_text().strip()
    env = os.environ.get("RECLAIM_KEY_PASSPHRASE")
    if env:
        return env
    first = getpass.getpass("Passphrase for the private key: ")
    if confirm and getpass.getpass("Repeat the passphrase: ") != first:
        raise CommandError("The two passphrases differ.")
    return first


class Command(BaseCommand):
    help = "Create, list or retire the public keys that signer data is sealed to."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a key pair; the private half goes to --out.")
        create.add_argument("--holder", required=True, help="Organisation that keeps the key.")
        create.add_argument("--out", required=True, help="Where to write the private key file.")
        create.add_argument("--passphrase-file", help="Read the passphrase from this file.")
        sub.add_parser("list", help="List the public keys.")
        retire = sub.add_parser("retire", help="Stop sealing new data to a key.")
        retire.add_argument("key_id")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for key in PublicKey.objects.all():
                state = "retired" if key.retired_at else "active"
                self.stdout.write(
                    f"{key.key_id}  {state:8} {key.created_at:%Y-%m-%d}  {key.holder}"
                )
            return
        if action == "retire":
            retire_key(options["key_id"], actor="cli")
            self.stdout.write(f"Retired {options['key_id']}.")
            return
        out = Path(options["out"])
        if out.exists():
            raise CommandError(f"{out} exists already; choose another file name.")
        passphrase = read_passphrase(options["passphrase_file"], confirm=True)
        try:
            pair = create_key(options["holder"], passphrase, actor="cli")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pair.private_file)
        self.stdout.write(
            f"Key {pair.key_id} created. The private key is in {out}: move it off this server "
            "and keep it, with its passphrase, somewhere safe. Without it nobody can read the "
            "signatures sealed to this key."
        )
