"""Serve the site with its task worker and scheduler, all stopped together with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server (gunicorn), the task worker and the scheduler."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        python = sys.executable
        manage = [python, "-m", "reclaim.cli"]
        commands = [
            [
                python,
                "-m",
                "gunicorn",
                "reclaim.wsgi:application",
                "--bind",
                options["bind"],
                "--workers",
                str(options["workers"]),
                "--config",
                "python:reclaim.core.gunicorn_conf",
            ],
            [*manage, "db_worker", "--queue-name", "*", "--no-reload", "-v", "0"],
            [*manage, "scheduler"],
        ]
        procs = [subprocess.Popen(cmd, env=os.environ.copy()) for cmd in commands]

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        # A service manager stops us with SIGTERM: take the children down with us.
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Serving on http://{options['bind']}/ (Ctrl-C stops everything)")
        try:
            while all(proc.poll() is None for proc in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
