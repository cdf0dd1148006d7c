from __future__ import annotations

from typing import Any

from reclaim.audit.models import AuditEntry


def actor_name(user: Any) -> str:
    """The name recorded for an actor: a staff username, or the system job that acted."""
    if user is None:
        return "system"
    if isinstance(user, str):
        return user
    return user.get_username() or "anonymous"


def record(actor: Any, action: str, target: str = "", count: int = 0, **detail: Any) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the action it describes."""
    return AuditEntry.objects.create(
        actor=actor_name(actor), action=action, target=target, count=count, detail=detail
    )
