from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from reclaim.audit.kinds import check_declared
from reclaim.audit.models import AuditEntry


def actor_name(user: Any) -> str:
    """The name recorded for an actor: a staff username, or the system job that acted."""
    if user is None:
        return "system"
    if isinstance(user, str):
        return user
    return user.get_username() or "anonymous"


def record(actor: Any, action: str, target: str = "", count: int = 0, **detail: Any) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the action it describes. The
    action must be declared by its app (``reclaim.audit.kinds``)."""
    check_declared(action)
    return AuditEntry.objects.create(
        actor=actor_name(actor), action=action, target=target, count=count, detail=detail
    )


_current_actor: ContextVar[str | None] = ContextVar("reclaim_audit_actor", default=None)


def current_actor() -> str:
    """The signed-in staff member of the request being served, for signal-driven entries."""
    return _current_actor.get() or "system"


class ActorMiddleware:
    """Remembers who is acting during a request, so that audit entries written from model
    signals (role changes in the admin, say) name the person and not just "system"."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = getattr(request, "user", None)
        token = _current_actor.set(
            user.get_username() if user is not None and user.is_authenticated else None
        )
        try:
            return self.get_response(request)
        finally:
            _current_actor.reset(token)
