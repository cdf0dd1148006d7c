"""What every part of the harness shares: where things are, the error that fails a run,
and how it says what it does."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
FINDINGS = ROOT / "bench" / "findings.md"
PYTHON = sys.executable
PASSPHRASE = "bench-passphrase-not-a-secret"  # noqa: S105 (a throwaway key for the bench)
PG_SERVER = os.environ.get("RECLAIM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


class BenchFailure(Exception):
    """The harness failed (a server that does not start, a step that errs): the run
    exits non-zero. A missed performance target is reported instead."""


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)
