"""``reclaim newsletter_import LIST CSV``: bring subscribers over from another tool.

Each new address becomes a pending subscription and gets a confirmation mail; nobody is
subscribed until they confirm (reclaim.newsletter.services.imports)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclaim.newsletter.models import MailingList
from reclaim.newsletter.services import imports


class Command(BaseCommand):
    help = (
        "Import newsletter subscribers from a CSV (email, consent_date): each is asked to confirm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("list", help="the list's address (slug)")
        parser.add_argument("csv", type=Path, help="a UTF-8 CSV with a header line")
        parser.add_argument("--language", help="language of the mails (default: the list's)")

    def handle(self, *args: Any, **options: Any) -> None:
        mailing_list = MailingList.objects.filter(slug=options["list"]).first()
        if mailing_list is None:
            raise CommandError(f"No list with the address {options['list']!r}.")
        try:
            text = options["csv"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['csv']}: {error}") from error
        try:
            report = imports.import_subscribers(
                mailing_list, text, "command line", language=options.get("language")
            )
        except imports.BadFile as error:
            raise CommandError(str(error.message)) from error
        for line, reason in report.invalid:
            self.stderr.write(f"line {line}: {reason}")
        self.stdout.write(
            f"asked to confirm: {report.added}\n"
            f"already on the list: {report.already_subscribed}\n"
            f"skipped, unsubscribed before: {report.suppressed}\n"
            f"skipped, twice in the file: {report.duplicates}\n"
            f"invalid lines: {len(report.invalid)}"
        )
