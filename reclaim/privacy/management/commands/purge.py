from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reclaim.privacy.purge import policies, run_purge


class Command(BaseCommand):
    help = _("Delete personal data that is due for deletion, by every app's declared policy.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Only list what each policy would delete; delete nothing."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        if dry_run:
            self.stdout.write(_("Dry run: nothing is deleted. Due now, per policy:"))
        report = run_purge(dry_run=dry_run)
        for policy in policies():
            self.stdout.write(f"{policy.name}: {report[policy.name]} — {policy.description}")
