"""Who may see alerts and invalidate signatures in bulk. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

PERMISSION = "letters.invalidate_signature"


def get_organiser(user: Any) -> Any:
    """The user, if a signed-in staff member who may invalidate signatures (organisers may;
    moderators, who only hide names and approve organisations, may not)."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.is_active:
        raise PermissionDenied
    if not user.is_staff:
        raise PermissionDenied
    if not user.has_perm(PERMISSION):
        raise PermissionDenied
    return user
