"""The `reclaim` console command: Django's management commands under one name.

reclaim demo            load the demo campaign
reclaim serve           the web server with its task worker and scheduler
reclaim keys create     make a key pair; the private half goes to a file you keep offline
reclaim export SLUG     decrypt a petition's signatures with that file into CSV
reclaim purge           delete what is due
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reclaim.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
