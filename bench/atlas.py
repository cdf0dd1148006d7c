"""How fast the atlas's map answers with 100,000 devices (issue 14: "gets clustered points
within 100 ms on the benchmark machine").

    python bench/atlas.py [--devices 100000] [--requests 30] [--db sqlite|postgres|both]
    python bench/atlas.py --smoke      # 2,000 devices, 5 requests: that it still runs

Makes ``--devices`` public devices (``bulk_create``) in a fresh SQLite database (in a
temporary directory) and, when ``DATABASE_URL`` points to PostgreSQL, in a database made
for the run beside it and dropped afterwards; most devices are spread around 40 European
cities (Belgrade's the densest), the rest over the world, with a share unpublished, gone,
or of other verifications and deployments. Then asks ``atlas:clusters`` through Django's
test client in that process, for four views a 1,280 × 800 screen shows:

- the world at zoom 2, a country (Serbia) at zoom 7, a city (Belgrade) at zoom 12, a street
  at zoom 16, and the world filtered by capability;
- each warm (the process has the blocks) and cold (the data's version replaced before
  every request, as after a change: every block is asked of the database again);
- and a revalidation (``If-None-Match``: 304).

Prints milliseconds per request (median and 95th percentile), the SQL queries each makes
and the features it returns, as JSON and as a table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

VIEWS = [
    ("world, zoom 2", "bbox=-180,-85,180,85&zoom=2"),
    ("country (Serbia), zoom 7", "bbox=13.5,41.8,27.5,47.5&zoom=7"),
    ("city (Belgrade), zoom 12", "bbox=20.24,44.72,20.68,44.91&zoom=12"),
    ("street (Belgrade centre), zoom 16", "bbox=20.447,44.806,20.475,44.818&zoom=16"),
    ("world, zoom 2, face recognition only", "bbox=-180,-85,180,85&zoom=2&capability=face"),
]

CITIES = [
    ("Belgrade", 44.8125, 20.4612, 12),
    ("Novi Sad", 45.2671, 19.8335, 2),
    ("Niš", 43.3209, 21.8958, 2),
    ("Berlin", 52.52, 13.405, 3),
    ("Paris", 48.8566, 2.3522, 3),
    ("London", 51.5072, -0.1276, 4),
    ("Madrid", 40.4168, -3.7038, 2),
    ("Rome", 41.9028, 12.4964, 2),
    ("Athens", 37.9838, 23.7275, 2),
    ("Budapest", 47.4979, 19.0402, 2),
    ("Vienna", 48.2082, 16.3738, 2),
    ("Warsaw", 52.2297, 21.0122, 2),
    ("Prague", 50.0755, 14.4378, 1),
    ("Brussels", 50.8503, 4.3517, 1),
    ("Amsterdam", 52.3676, 4.9041, 1),
    ("Lisbon", 38.7223, -9.1393, 1),
    ("Dublin", 53.3498, -6.2603, 1),
    ("Copenhagen", 55.6761, 12.5683, 1),
    ("Stockholm", 59.3293, 18.0686, 1),
    ("Helsinki", 60.1699, 24.9384, 1),
    ("Oslo", 59.9139, 10.7522, 1),
    ("Zagreb", 45.815, 15.9819, 1),
    ("Ljubljana", 46.0569, 14.5058, 1),
    ("Sarajevo", 43.8563, 18.4131, 1),
    ("Skopje", 41.9981, 21.4254, 1),
    ("Sofia", 42.6977, 23.3219, 1),
    ("Bucharest", 44.4268, 26.1025, 1),
    ("Bratislava", 48.1486, 17.1077, 1),
    ("Vilnius", 54.6872, 25.2797, 1),
    ("Riga", 56.9496, 24.1052, 1),
    ("Tallinn", 59.437, 24.7536, 1),
    ("Milan", 45.4642, 9.19, 1),
    ("Barcelona", 41.3874, 2.1686, 1),
    ("Munich", 48.1351, 11.582, 1),
    ("Hamburg", 53.5511, 9.9937, 1),
    ("Marseille", 43.2965, 5.3698, 1),
    ("Lyon", 45.764, 4.8357, 1),
    ("Kraków", 50.0647, 19.945, 1),
    ("Thessaloniki", 40.6401, 22.9444, 1),
    ("Valletta", 35.8989, 14.5146, 1),
]


def _timed(
    client: Any, path: str, requests: int, before: Any = None, **headers: str
) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    # The CPU this process spent: on SQLite all of the work, whatever else runs on the
    # machine (the wall-clock figures are not, on a shared 2-core machine).
    cpu = []
    queries = 0
    response = None
    for _n in range(requests):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code not in (200, 304):
            raise SystemExit(f"{path} answered {response.status_code}: {response.content[:200]!r}")
        queries = len(captured)
    assert response is not None
    times.sort()
    features = len(response.json()["features"]) if response.status_code == 200 else 0
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": queries,
        "features": features,
        "bytes": len(response.content),
        "status": response.status_code,
    }


def _make_devices(count: int) -> dict[str, Any]:
    from datetime import date, timedelta

    from reclaim.atlas.models import Capability, Deployment, Device, Verification

    rng = random.Random(14)
    kinds = [Capability.Kind.FACE, Capability.Kind.PLATE, Capability.Kind.UNKNOWN]
    deployments = Deployment.objects.bulk_create(
        Deployment(
            name=f"{city} system {n}",
            slug=f"bench-{n}",
            city=city,
            country="RS",
            published=n % 10 != 9,
            status=Deployment.Status.ACTIVE if n % 3 else Deployment.Status.PILOT,
        )
        for n, (city, _la, _lo, _w) in enumerate(CITIES)
    )
    Capability.objects.bulk_create(
        Capability(deployment=d, kind=kinds[n % 3], confidence=Capability.Confidence.LIKELY)
        for n, d in enumerate(deployments)
    )
    weights = [w for *_rest, w in CITIES]
    today = date.today()
    verifications = (
        [Verification.REPORTED] * 6 + [Verification.CORROBORATED] * 3 + [Verification.CONFIRMED]
    )
    rows = []
    for n in range(count):
        if n % 20 == 0:  # 5 % anywhere on earth
            latitude, longitude, deployment = rng.uniform(-60, 70), rng.uniform(-180, 180), None
        else:
            index = rng.choices(range(len(CITIES)), weights)[0]
            _city, la, lo, _w = CITIES[index]
            latitude, longitude = rng.gauss(la, 0.06), rng.gauss(lo, 0.09)
            deployment = deployments[index]
        rows.append(
            Device(
                deployment=deployment,
                latitude=latitude,
                longitude=longitude,
                city=deployment.city if deployment else "",
                first_seen=today - timedelta(days=800),
                last_seen=today - timedelta(days=rng.randint(0, 700)),
                published=n % 25 != 0,
                removed_on=today if n % 50 == 7 else None,
                verification=verifications[n % len(verifications)],
            )
        )
    started = time.perf_counter()
    Device.objects.bulk_create(rows, batch_size=2000)
    made = time.perf_counter() - started
    from reclaim.atlas.services.public import public_devices

    return {"bulk_create_s": round(made, 1), "public": public_devices().count()}


def one(db: str, devices: int, requests: int) -> dict[str, Any]:
    """The measurements on one database, in this process."""
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from reclaim.atlas.services.clusters import bump_map_version

    call_command("migrate", verbosity=0)
    made = _make_devices(devices)
    with connection.cursor() as cursor:
        # What autovacuum and SQLite's optimiser would have done on a live site.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    bump_map_version()
    client = Client()
    views = []
    for label, query in VIEWS:
        path = f"/en/atlas/clusters.json?{query}"
        cold = _timed(client, path, requests, before=bump_map_version)
        client.get(path)
        warm = _timed(client, path, requests)
        etag = client.get(path)["ETag"]
        revalidated = _timed(client, path, requests, If_None_Match=etag)
        views.append({"view": label, "path": path, "cold": cold, "warm": warm, "304": revalidated})
    return {"database": connection.vendor, "devices": devices, **made, "views": views}


def _postgres_url(base: str) -> tuple[str, str]:
    parts = urlsplit(base)
    name = f"reclaim_bench_atlas_{os.getpid()}"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _run(db: str, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ)
    work = Path(tempfile.mkdtemp(prefix="reclaim-atlas-"))
    env["RECLAIM_DATA_DIR"] = str(work)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    admin = None
    if db == "postgres":
        import psycopg

        url, name = _postgres_url(os.environ["DATABASE_URL"])
        admin = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
    try:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                db,
                "--devices",
                str(args.devices),
                "--requests",
                str(args.requests),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"{db}: {done.stderr[-3000:]}")
        return dict(json.loads(done.stdout))
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def table(results: list[dict[str, Any]]) -> str:
    names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    header = (
        "| view | "
        + " | ".join(f"{names[r['database']]} cold | {names[r['database']]} warm" for r in results)
        + " | features | queries cold / warm |"
    )
    lines = [header, "| --- " * (2 + 2 * len(results)) + "| --- |"]
    for n, (label, _query) in enumerate(VIEWS):
        cells = []
        for r in results:
            v = r["views"][n]
            for kind in ("cold", "warm"):
                m = v[kind]
                cells.append(f"{m['median_ms']} / {m['p95_ms']} (CPU {m['cpu_median_ms']})")
        v0 = results[0]["views"][n]
        lines.append(
            f"| {label} | "
            + " | ".join(cells)
            + f" | {v0['warm']['features']} | {v0['cold']['queries']} / {v0['warm']['queries']} |"
        )
    lines.append(
        "| revalidation (304), street | "
        + " | ".join(
            f"– | {r['views'][3]['304']['median_ms']} / {r['views'][3]['304']['p95_ms']}"
            for r in results
        )
        + " | 0 | – / 0 |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--smoke", action="store_true", help="2,000 devices, 5 requests")
    parser.add_argument("--one", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.devices, args.requests = 2000, 5
    if args.one:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(one(args.one, args.devices, args.requests)))
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        dbs = [db for db in dbs if db != "postgres"]
    results = [_run(db, args) for db in dbs]
    print(json.dumps(results, indent=2))
    print()
    print(table(results))


if __name__ == "__main__":
    main()
