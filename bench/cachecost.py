"""What the throttles' cache round trips cost on each backend (docs/caching.md).

    python bench/cachecost.py [--ops 10000] [--keys 100]

Runs the throttle's counting pattern (``add`` a key, and ``incr`` it when it exists, as
``reclaim.shield.throttle`` does for every limit of every guarded attempt) ``--ops`` times
over ``--keys`` keys on:

- ``locmem``: Django's local-memory cache (one per process: the old default);
- ``disk``: reclaim's default without Redis (``reclaim.lib.diskcache.DiskCache``), in a
  fresh folder;
- ``disk, closed per request``: diskcache's own Django backend as it is, whose connections
  Django closes after every request: here after every 5 operations, the writes of one
  signing attempt (site load, two per network, domain, country);
- ``disk, 2 processes``: two processes counting at once on the same keys, each doing
  ``--ops``; checks that no increment is lost.

Prints microseconds per operation (an add that finds the key, then an incr, counts as one).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WRITES_PER_SIGNATURE = 5


def configure(directory: str) -> None:
    from django.conf import settings

    settings.configure(
        CACHES={
            "locmem": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "OPTIONS": {"MAX_ENTRIES": 100_000},
            },
            "disk": {"BACKEND": "reclaim.lib.diskcache.DiskCache", "LOCATION": directory},
            "disk_closing": {"BACKEND": "diskcache.DjangoCache", "LOCATION": directory},
        }
    )


def count(cache: Any, ops: int, keys: int, close_every: int = 0) -> float:
    """Seconds for ``ops`` throttle counts."""
    start = time.perf_counter()
    for n in range(ops):
        key = f"shield:throttle:source_burst:letters.sign:1:{n % keys}:29999999"
        if not cache.add(key, 1, timeout=60):
            cache.incr(key)
        if close_every and n % close_every == close_every - 1:
            cache.close()
    return time.perf_counter() - start


def _worker(directory: str, ops: int, keys: int, start_at: float, results: Any) -> None:
    configure(directory)
    from django.core.cache import caches

    cache = caches["disk"]
    cache.get("warm-up")  # open the connections before the clock starts
    while time.time() < start_at:
        time.sleep(0.001)
    results.put(count(cache, ops, keys))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=100)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    directory = tempfile.mkdtemp(prefix="reclaim-cachecost-")
    configure(directory)
    from django.core.cache import caches

    def show(label: str, seconds: float, ops: int) -> None:
        print(f"{label:28} {seconds / ops * 1e6:8.1f} µs per count   ({ops:,} in {seconds:.2f} s)")

    for name, label, close_every in (
        ("locmem", "locmem", 0),
        ("disk", "disk", 0),
        ("disk_closing", "disk, closed per request", WRITES_PER_SIGNATURE),
    ):
        cache = caches[name]
        cache.clear()
        cache.get("warm-up")
        show(label, count(cache, args.ops, args.keys, close_every), args.ops)

    caches["disk"].clear()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 3
    workers = [
        context.Process(target=_worker, args=(directory, args.ops, args.keys, start_at, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    times = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    show("disk, 2 processes (each)", max(times), args.ops)
    total = sum(
        caches["disk"].get(f"shield:throttle:source_burst:letters.sign:1:{k}:29999999", 0)
        for k in range(args.keys)
    )
    print(f"counted {total:,} of {2 * args.ops:,} in the two processes")
    size = sum(path.stat().st_size for path in Path(directory).rglob("*") if path.is_file())
    print(f"the folder holds {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
