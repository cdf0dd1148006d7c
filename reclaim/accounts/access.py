"""Who may issue enrolment links, and to whom. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import reverse

from reclaim.core.hooks import ACCOUNT_HOMES, account_roles

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


def holds_account_role(user: Any) -> bool:
    """Whether the user holds a role of an account that is not staff (a partner)."""
    return bool(user.groups.filter(name__in=account_roles()).exists())


def is_account(user: Any) -> bool:
    """Whether the user may sign in and pass the second factor here: an active staff
    member, or an active account of a non-staff role (a partner). Anyone else who has a
    password (an account an administrator left without a role) is not let in."""
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if user.is_staff:
        return True
    return holds_account_role(user)


def home_for(user: Any) -> str:
    """Where the user goes once signed in: the admin for staff, their app's page for an
    account of a non-staff role (``navigation.ACCOUNT_HOMES``), the front page otherwise."""
    if user.is_staff:
        return reverse("admin:index")
    roles = set(user.groups.values_list("name", flat=True))
    for home in ACCOUNT_HOMES:
        if home.role in roles:
            return reverse(home.url_name)
    return reverse("home")


def get_link_issuer(user: Any) -> Any:
    """The user, if a signed-in staff member who may issue enrolment links (organisers)."""
    return get_staff_with(user, PERMISSION)


def enrollable_staff() -> QuerySet[Any]:
    """The accounts a link may be issued to: active staff members, and active accounts of
    a non-staff role (a partner who lost their phone asks an organiser for a new link)."""
    return (
        get_user_model()
        .objects.filter(Q(is_staff=True) | Q(groups__name__in=account_roles()))
        .filter(is_active=True)
        .distinct()
    )
