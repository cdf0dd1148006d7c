from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reclaim.core.retention import run_purge


class Command(BaseCommand):
    help = _("Delete personal data that is due for deletion.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help=_("Only say what would go."))

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_purge(dry_run=options["dry_run"])
        for name, value in report.items():
            self.stdout.write(f"{name}: {value}")
