"""`reclaim export SLUG --key FILE`: decrypt a petition's signatures into CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reclaim.keyring.management.commands.keys import read_passphrase
from reclaim.letters.export import export_csv
from reclaim.letters.models import Petition
from reclaim.lib.sealing import SealError


class Command(BaseCommand):
    help = "Decrypt the confirmed signatures of a petition with a private key file (CSV)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("petition", help="The petition's address (slug).")
        parser.add_argument("--key", required=True, help="The private key file.")
        parser.add_argument("--passphrase-file")
        parser.add_argument("--out", help="CSV file to write (default: standard output).")
        parser.add_argument("--with-email", action="store_true", help="Include email addresses.")
        parser.add_argument("--by", default="cli", help="Your name, for the audit log.")

    def handle(self, *args: Any, **options: Any) -> None:
        petition = Petition.objects.filter(slug=options["petition"]).first()
        if petition is None:
            raise CommandError(f"No petition at {options['petition']!r}.")
        key_file = Path(options["key"]).read_bytes()
        passphrase = read_passphrase(options["passphrase_file"], confirm=False)
        out = (
            open(options["out"], "w", newline="", encoding="utf-8")
            if options["out"]
            else sys.stdout
        )  # noqa: SIM115
        try:
            result = export_csv(
                petition,
                key_file,
                passphrase,
                out,
                actor=options["by"],
                with_email=options["with_email"],
            )
        except SealError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(
            f"{result.written} signatures written; {result.other_key} sealed to another key; "
            f"{result.unreadable} unreadable."
        )
        if result.odd:
            # Boxes sealed in a browser were checked there, not here (docs/sealed-box.md).
            self.stderr.write(
                f"{result.odd} of them hold what the signing form refuses (an empty name, "
                "text too long, invisible characters): check them before delivery."
            )
