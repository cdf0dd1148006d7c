"""Every action written to the audit log is declared by its app, with words for people."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reclaim.audit.kinds import UnknownAuditKind, labels
from reclaim.audit.models import AuditEntry
from reclaim.audit.services import record

PACKAGE = Path(__file__).resolve().parents[2]


def _recorded_actions() -> dict[str, str]:
    """Every literal action passed to record() in reclaim's code, with where."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            action = node.args[1]
            if name == "record" and isinstance(action, ast.Constant):
                found[action.value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_every_action_the_code_records_is_declared() -> None:
    actions = _recorded_actions()
    assert len(actions) > 20  # the scan found the calls
    undeclared = {action: where for action, where in actions.items() if action not in labels()}
    assert not undeclared


def test_the_actions_made_up_from_parts_are_declared_too() -> None:
    steps = ["received", "counted", "stored", "sent", "certified", "destroyed"]
    for action in [f"paper.{step}" for step in steps] + ["role.add", "role.remove", "role.clear"]:
        assert action in labels(), action


@pytest.mark.django_db
def test_an_undeclared_action_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(UnknownAuditKind, match="signature.exprot"):
        record("alice", "signature.exprot", target="petition:1", count=3)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_admin_shows_each_entry_in_words(as_user, organiser) -> None:
    record("alice", "audit.export", target="audit", count=1)
    page = as_user(organiser).get("/en/admin/audit/auditentry/").content.decode()
    assert "Audit log exported" in page
