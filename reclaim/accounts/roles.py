"""Staff roles as data: each role is a group with exactly the permissions the apps grant it.

Organisers and moderators are the house's roles (``reclaim.core.hooks``); an app adds its
own as ``ROLES`` in its ``roles.py``. Each app grants roles its own permissions,
as ``PERMISSIONS`` in its own ``roles.py``::

    PERMISSIONS = [Grant(ORGANISER, ["letters.export_signatures", ...])]

``sync_roles`` (after every migrate) gives each group exactly the granted permissions. A
grant that names a permission no model declares is a start-up error (system check
``reclaim.accounts.E001``), never silently skipped.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, register

from reclaim.core import hooks
from reclaim.core.hooks import MODERATOR, ORGANISER, Grant, account_roles, role_names

__all__ = ["MODERATOR", "ORGANISER", "PERMISSIONS", "granted", "sync_roles"]

# Organisers let a new colleague set up their second factor (reclaim.accounts.enrolment).
PERMISSIONS = [Grant(ORGANISER, ["accounts.issue_enrolment_link"])]


def granted() -> dict[str, list[str]]:
    """Every role's permissions, as the apps grant them, in the declared order."""
    roles: dict[str, list[str]] = {role: [] for role in role_names()}
    for grant in hooks.PERMISSIONS:
        roles.setdefault(grant.role, [])
        roles[grant.role] += [code for code in grant.permissions if code not in roles[grant.role]]
    return roles


def declared_permissions() -> set[str]:
    """Every permission the installed models declare (Django's defaults and Meta's)."""
    codes = set()
    for model in apps.get_models():
        opts = model._meta
        codes |= {
            f"{opts.app_label}.{action}_{opts.model_name}" for action in opts.default_permissions
        }
        codes |= {f"{opts.app_label}.{codename}" for codename, _name in opts.permissions}
    return codes


@register()
def grants_name_real_permissions(**kwargs: Any) -> list[CheckMessage]:
    known = declared_permissions()
    errors: list[CheckMessage] = []
    for declared in hooks.PERMISSIONS.declared():
        grant = declared.item
        if grant.role not in role_names():
            errors.append(
                Error(
                    f"{declared.app.name}.roles grants permissions to {grant.role!r}, "
                    "which is not a role.",
                    hint=f"The roles are {', '.join(role_names())} (each app's roles.py).",
                    id="reclaim.accounts.E002",
                )
            )
        if grant.role in account_roles() and grant.permissions:
            # A partner sees their own organisation only: a model permission would open
            # every organisation's rows to them (and, were they ever made staff, the admin).
            errors.append(
                Error(
                    f"{declared.app.name}.roles grants permissions to {grant.role!r}, a role "
                    "of accounts that are not staff.",
                    hint="Check such an account's access per object in its app instead.",
                    id="reclaim.accounts.E003",
                )
            )
        for code in grant.permissions:
            if code not in known:
                errors.append(
                    Error(
                        f"{declared.app.name}.roles grants {code!r} to {grant.role}, but no "
                        "installed model declares that permission.",
                        hint="Use app_label.codename of a permission that exists, such as "
                        "letters.view_petition.",
                        id="reclaim.accounts.E001",
                    )
                )
    return errors


def sync_roles(**kwargs: Any) -> None:
    """Create the role groups and give them exactly their permissions (runs after migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, codes in granted().items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for code in codes:
            app_label, codename = code.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is None:
                # The check above makes this unreachable after a full migrate; during one,
                # an app's permissions appear with its own post_migrate signal.
                continue
            perms.append(perm)
        group.permissions.set(perms)
