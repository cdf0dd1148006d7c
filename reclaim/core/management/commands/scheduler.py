from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reclaim.core.scheduler import run_forever


class Command(BaseCommand):
    help = "Run every app's periodic jobs (jobs.py) when they are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seconds", type=float, default=None, help="Stop after this long.")

    def handle(self, *args: Any, **options: Any) -> None:
        run_forever(stop_after=options["seconds"])
