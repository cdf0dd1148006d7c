"""The house rules that keep apps pluggable: the core and lib know no app, no two apps
depend on each other in a loop (in imports or in migrations), and the hooks are the way in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[3]


def _reclaim_apps() -> set[str]:
    return {app.label for app in apps.get_app_configs() if app.name.startswith("reclaim.")}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle in the graph, as the nodes along it, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_two_apps_depend_on_each_other_in_their_migrations() -> None:
    ours = _reclaim_apps()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    edges: dict[str, set[str]] = {}
    for (app, _name), migration in loader.disk_migrations.items():
        for dependency, _dep_name in migration.dependencies:
            if app in ours and dependency in ours and dependency != app:
                edges.setdefault(app, set()).add(dependency)
    assert _cycle(edges) is None, f"migrations depend on each other in a loop: {_cycle(edges)}"


def test_the_cycle_finder_finds_a_loop() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


def test_the_import_contracts_hold() -> None:
    """core and lib import no app; no two parts of reclaim import each other in a loop
    (the contracts are in pyproject.toml; CI runs lint-imports too)."""
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Contracts: 4 kept, 0 broken." in done.stdout
