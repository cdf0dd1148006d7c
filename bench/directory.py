"""How fast the coalition's directory is with many organisations (issue 12: "fast and
readable with 1,000 organisations").

    python bench/directory.py [--organisations 1000] [--requests 50]

Makes ``--organisations`` listed members (descriptions in three languages, a mix of
countries, kinds and tiers, names in several scripts and cases) in a fresh SQLite database
(in a temporary directory, or the PostgreSQL database of ``DATABASE_URL``, which must be
empty), then renders, through Django's test client in this process:

- the directory page with its per-process list cold (just invalidated) and warm;
- the directory filtered by country, and searched;
- an organisation's page;
- the directory in the API (``/api/v1/organisations``, 100 a page).

Prints milliseconds per request (median and 95th percentile) and the SQL queries each makes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _timed(client: Any, path: str, requests: int, before: Any = None) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _n in range(requests):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        queries = len(captured)
    times.sort()
    return {
        "path": path,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": queries,
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="reclaim-directory-"))
    os.environ["RECLAIM_DATA_DIR"] = str(work)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    logging.disable(logging.WARNING)

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from reclaim.coalition.models import Description, Organisation
    from reclaim.coalition.services.directory import forget_directory

    call_command("migrate", verbosity=0)
    countries = ["DE", "FR", "BE", "NL", "AT", "IT", "ES", "PL", "RS", "GR", ""]
    kinds = list(Organisation.Kind.values)
    tiers = ["lead"] * 1 + ["partner"] * 6 + ["supporter"] * 3
    stems = ["epicenter.works", "Électronique", "Österreich", "Digitale", "Homo", "Ζωή", "Ação"]
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{stems[n % len(stems)]} {n:04d}",
            slug=f"org-{n:04d}",
            country=countries[n % len(countries)],
            kind=kinds[n % len(kinds)],
            tier=tiers[n % len(tiers)],
            status=Organisation.Status.MEMBER,
            profile_approved_at=timezone.now(),
            website=f"https://org{n}.example.org",
        )
        for n in range(args.organisations)
    )
    Description.objects.bulk_create(
        Description(
            organisation=organisation,
            language=language,
            text=f"Organisation {organisation.pk} works against biometric mass surveillance.",
        )
        for organisation in organisations
        for language in ("en", "de", "fr")
    )
    client = Client()
    pages = [
        _timed(client, "/en/coalition/", args.requests, before=forget_directory),
        _timed(client, "/en/coalition/", args.requests),
        _timed(client, "/de/coalition/", args.requests),
        _timed(client, "/en/coalition/?country=DE&kind=network", args.requests),
        _timed(client, "/en/coalition/?q=surveillance+0042", args.requests),
        _timed(client, "/en/coalition/org-0500/", args.requests),
        _timed(client, "/api/v1/organisations?page_size=100", args.requests),
    ]
    pages[0]["path"] += " (cold: list rebuilt each time)"
    print(
        json.dumps(
            {
                "organisations": args.organisations,
                "database": django.db.connection.vendor,
                "pages": pages,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
