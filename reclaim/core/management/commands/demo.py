"""`reclaim demo`: load the demo campaign and print how to log in and export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import translation

from reclaim.core.demo import DEFAULT_SIGNATURES, DemoKey, DemoReport, load_demo
from reclaim.core.demo.eci import InitiativeReport


def _shown(path: Path) -> str:
    """The path relative to the working directory when it lies below it (var/...)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Command(BaseCommand):
    help = (
        "Load the demo campaign: staff accounts, a demo sealing key, the open letter of "
        "10 May 2022, a petition with invented signatures, and two citizens' initiatives: "
        "Reclaim Your Face as registered in 2021 and an invented one collecting now. "
        "Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--signatures",
            type=int,
            default=DEFAULT_SIGNATURES,
            help=f"Invented petition signatures (default {DEFAULT_SIGNATURES}; at least 27, "
            "one per member state).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with RECLAIM_ENV=production (it resets two staff passwords).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                "This is a production configuration. The demo adds invented signatures "
                "and resets the passwords of 'organiser' and 'moderator'; pass "
                "--allow-production if you really mean it."
            )
        if options["signatures"] < 27:
            raise CommandError("--signatures must be at least 27 (one per member state).")
        started = time.monotonic()
        report = load_demo(Path(settings.DATA_DIR), options["signatures"])
        self._print(report, time.monotonic() - started)

    def _print(self, report: DemoReport, seconds: float) -> None:
        out = self.stdout
        out.write(self.style.MIGRATE_HEADING("Staff accounts (new passwords on every run)"))
        out.write(f"  Admin: {settings.BASE_URL}/en/admin/")
        for account in report.staff:
            out.write(f"  {account.username:10} {account.password}   ({account.role})")

        out.write(self.style.MIGRATE_HEADING("Sealing key"))
        self._print_key(report.key)

        out.write(self.style.MIGRATE_HEADING("Campaigns"))
        with translation.override("en"):
            for campaign in report.campaigns:
                petition = campaign.petition
                state = "created" if campaign.created else "already there"
                out.write(f"  {petition.title}")
                out.write(f"    {settings.BASE_URL}{petition.get_absolute_url()}")
                out.write(
                    f"    {petition.get_status_display().lower()}, {state}; "
                    f"{campaign.added} signatures added now; {campaign.confirmed} confirmed "
                    f"from {campaign.countries} countries, {campaign.pending} unconfirmed"
                )
        if report.skipped_cosigners:
            out.write(
                "  Left off the letter (seat unknown, and a signature needs a country): "
                + ", ".join(report.skipped_cosigners)
            )

        out.write(self.style.MIGRATE_HEADING("Citizens' initiatives"))
        with translation.override("en"):
            for item in report.initiatives:
                self._print_initiative(item)
        out.write(self.style.SUCCESS(f"Demo ready in {seconds:.1f} s."))

    def _print_initiative(self, item: InitiativeReport) -> None:
        out, initiative, board = self.stdout, item.initiative, item.board
        state = "created" if item.created else "already there"
        verdict = "valid" if board.is_valid else "not yet valid"
        out.write(f"  {initiative.registration_number} {initiative.title}")
        out.write(f"    {settings.BASE_URL}{reverse('eci:dashboard', args=[initiative.slug])}")
        out.write(
            f"    {initiative.get_status_display().lower()}, {state}; threshold table "
            f"{initiative.table.id}; {item.readings} readings, {item.batches} paper batches and "
            f"{item.sponsors} sponsors added now"
        )
        out.write(
            f"    {board.total:,} statements ({board.total_percent} % of a million), "
            f"{board.states_over} of the {board.states_required} member states needed over "
            f"threshold: {verdict}"
        )

    def _print_key(self, key: DemoKey) -> None:
        out = self.stdout
        if not key.files_match:
            out.write(
                f"  An active key already existed ({key.key_id[:12]}, held by {key.holder}); "
                "the demo data is sealed to it and only its holder can export it."
            )
            return
        verb = "Created" if key.created else "Using"
        out.write(f"  {verb} demo key {key.key_id[:12]} (holder: {key.holder}).")
        out.write(f"  Private key: {_shown(key.key_file)}")
        out.write(f"  Passphrase:  {_shown(key.passphrase_file)}")
        out.write(
            self.style.WARNING(
                "  DEMO ONLY: the private key and its passphrase sit next to the database. "
                "A real key lives offline with its holder; create one with "
                "`reclaim keys create`."
            )
        )
        out.write("  Export a campaign with:")
        out.write(
            f"    reclaim export <slug> --key {_shown(key.key_file)} "
            f"--passphrase-file {_shown(key.passphrase_file)}"
        )
