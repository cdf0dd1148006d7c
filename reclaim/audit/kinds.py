"""What can be written to the audit log: each app declares its kinds of entry.

An app lists the actions it records, with a label for people, as ``AUDIT_KINDS`` in its
own ``audit.py`` (``reclaim.core.hooks``). ``record()`` refuses an action nobody declared,
so a misspelt action fails the test that reaches it instead of leaving an entry no one will
ever search for; the admin shows the label next to each entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from reclaim.core.hooks import Hook, Text


@dataclass(frozen=True)
class AuditKind:
    action: str
    label: Text


AUDIT_KINDS = Hook[AuditKind]("audit", "AUDIT_KINDS", key=lambda kind: kind.action)


class UnknownAuditKind(ValueError):
    """An entry whose action no app declares in its audit.py."""


def labels() -> dict[str, Text]:
    return {kind.action: kind.label for kind in AUDIT_KINDS}


def check_declared(action: str) -> None:
    if action not in labels():
        raise UnknownAuditKind(
            f"No app declares the audit action {action!r}: add it to AUDIT_KINDS in the "
            "owning app's audit.py."
        )
