"""Who may issue enrolment links, and to whom. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

PERMISSION = "accounts.issue_enrolment_link"


def get_staff_with(user: Any, permission: str) -> Any:
    """The user, if a signed-in, active staff member who holds ``permission``; the one
    check every app's staff pages start from."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.is_active:
        raise PermissionDenied
    if not user.is_staff:
        raise PermissionDenied
    if not user.has_perm(permission):
        raise PermissionDenied
    return user


def get_link_issuer(user: Any) -> Any:
    """The user, if a signed-in staff member who may issue enrolment links (organisers)."""
    return get_staff_with(user, PERMISSION)


def enrollable_staff() -> QuerySet[Any]:
    """The accounts a link may be issued to: active staff members."""
    return get_user_model().objects.filter(is_staff=True).filter(is_active=True)
