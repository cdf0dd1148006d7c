"""The map's benchmark (bench/atlas.py) still runs: its smoke mode, on SQLite, in a
subprocess of its own (it makes its own data folder and database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_map_benchmark_runs_and_measures_every_view():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "bench/atlas.py", "--smoke", "--db", "sqlite"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout.split("\n\n| view")[0])
    (sqlite,) = results
    assert sqlite["database"] == "sqlite"
    assert sqlite["public"] == 1880  # 2,000 less 1 in 25 unpublished and 1 in 50 gone
    assert len(sqlite["views"]) == 5
    for view in sqlite["views"]:
        assert view["cold"]["queries"] >= 1 and view["warm"]["queries"] == 0
        assert view["304"]["status"] == 304
    assert "| world, zoom 2 |" in done.stdout
