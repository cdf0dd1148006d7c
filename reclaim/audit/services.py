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


_current_request: ContextVar[Any] = ContextVar("reclaim_audit_request", default=None)


def current_actor() -> str:
    """The signed-in staff member of the request being served, for signal-driven entries."""
    user = getattr(_current_request.get(), "user", None)
    if user is not None and user.is_authenticated:
        return str(user.get_username())
    return "system"


class ActorMiddleware:
    """Remembers who is acting during a request, so that audit entries written from model
    signals (role changes in the admin, say) name the person and not just "system"."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        # The user is looked up only when an entry is written: reading it here would open
        # the session on every public page, and mark each response "Vary: Cookie".
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
