"""reclaim's benchmark (issue 5): the production stack under load, on SQLite and PostgreSQL.

    python bench/run.py [--smoke] [--db sqlite|postgres|both] [--crash] [--profile DIR]

Starts gunicorn (reclaim.core.gunicorn_conf, 2 workers per core), the django-tasks worker
and the scheduler against a fresh data folder (and, for PostgreSQL, a fresh database made
and dropped for the pass), drives them from a separate load process on 127.0.0.1, prints
the figures and writes docs/benchmarks.md. ``--smoke`` is the same harness with tiny counts
(CI runs it so that it never rots). ``--crash`` kills the stack with SIGKILL in the middle
of a signing burst and checks that nothing acknowledged was lost or counted twice.

Exits non-zero when the harness fails: a server that does not start, more than 1 % errors
in a phase, a failed check. A missed performance target is reported, not a failure.

The parts: bench/stack.py (the data folder, database and processes; nginx and wrk in
bench/proxy.py, machine readings in bench/machine.py), bench/phases.py (one load phase, and
the sizes), bench/performance.py and bench/crash.py (the passes), bench/report.py (targets,
tables, docs/benchmarks.md), bench/figures.py (the typed results and their JSON in
bench/results/).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchFailure, say  # noqa: E402
from bench.crash import crash_pass  # noqa: E402
from bench.figures import Meta, Result  # noqa: E402
from bench.machine import loadavg, machine  # noqa: E402
from bench.performance import performance_pass  # noqa: E402
from bench.phases import FULL, SMOKE, Options  # noqa: E402
from bench.report import print_summary, render_docs, save  # noqa: E402


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds of each, tiny counts")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--crash", action="store_true", help="the crash-safety check instead")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (2 × cores)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--worker-class",
        dest="worker_classes",
        action="append",
        choices=["sync", "gthread"],
        help="repeatable; default: both, and the faster signer is used for the rest",
    )
    parser.add_argument("--profile", metavar="DIR", help="py-spy and pyinstrument output here")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and database")
    parser.add_argument(
        "--no-docs", action="store_true", help="write neither bench/results/ nor the docs"
    )
    parser.add_argument(
        "--render", action="store_true", help="only rewrite the docs from bench/results/"
    )
    return parser.parse_args()


def main() -> int:
    args = arguments()
    if args.render:
        render_docs()
        return 0
    profile_dir = Path(args.profile) if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    options = Options(
        workers=args.workers,
        threads=args.threads,
        worker_classes=args.worker_classes or ["sync", "gthread"],
        profile_dir=profile_dir,
        keep=args.keep,
    )
    sizes = SMOKE if args.smoke else FULL
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    meta = Meta(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        command="python bench/run.py " + " ".join(sys.argv[1:]),
        machine=machine(),
        loadavg_before=loadavg(),
    )
    say(f"machine: {meta.machine}; load average {meta.loadavg_before}")
    results: dict[str, Result] = {}
    failures: list[str] = []
    for db in dbs:
        try:
            if args.crash:
                results[db] = crash_pass(db, sizes, options)
            else:
                results[db] = performance_pass(db, sizes, options)
            failures += results[db].failures
        except (BenchFailure, subprocess.SubprocessError, OSError) as exc:
            failures.append(f"{db}: {exc}")
            say(f"FAILED: {exc}")
    meta.loadavg_after = loadavg()
    mode = (
        ("crash-smoke" if args.smoke else "crash")
        if args.crash
        else ("smoke" if args.smoke else "full")
    )
    # With --no-docs (as CI runs it) nothing is written.
    if results and not args.no_docs:
        save(mode, results, meta)
        render_docs()
    print_summary(results)
    if failures:
        print("\nFAILURES:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
