"""`reclaim demo`: load every app's demo content and say what there is and how to use it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from reclaim.demo.steps import STEPS, DemoContext

DEFAULT_SIGNATURES = 3000
# One per member state, so that every country has a count.
MIN_SIGNATURES = 27


class Command(BaseCommand):
    help = (
        "Load the demo campaign: staff accounts, a demo sealing key, the open letter of "
        "10 May 2022, a petition with invented signatures, and two citizens' initiatives. "
        "Each app brings its own part (its demo.py). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--signatures",
            type=int,
            default=DEFAULT_SIGNATURES,
            help=f"Invented petition signatures (default {DEFAULT_SIGNATURES}; at least "
            f"{MIN_SIGNATURES}, one per member state).",
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
        if options["signatures"] < MIN_SIGNATURES:
            raise CommandError(
                f"--signatures must be at least {MIN_SIGNATURES} (one per member state)."
            )
        started = time.monotonic()
        context = DemoContext(
            data_dir=Path(settings.DATA_DIR), now=timezone.now(), signatures=options["signatures"]
        )
        with translation.override("en"):
            for step in STEPS:
                report = step.run(context)
                self.stdout.write(self.style.MIGRATE_HEADING(report.title))
                for line in report.lines:
                    self.stdout.write(f"  {line}")
                for warning in report.warnings:
                    self.stdout.write(self.style.WARNING(f"  {warning}"))
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {seconds:.1f} s."))
