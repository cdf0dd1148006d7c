"""Staff roles as data: each role is a group with exactly these permissions."""

from __future__ import annotations

from typing import Any

ORGANISER = "Organisers"
MODERATOR = "Moderators"

ROLES: dict[str, list[str]] = {
    ORGANISER: [
        "letters.add_petition",
        "letters.change_petition",
        "letters.view_petition",
        "letters.view_counts",
        "letters.export_signatures",
        "letters.view_signature",
        "letters.moderate_signature",
        "letters.invalidate_signature",
        "letters.view_countrycount",
        "audit.view_auditentry",
        "keyring.view_publickey",
        "eci.organise_initiative",
        "eci.view_initiative",
        "eci.change_initiative",
        "eci.view_counterreading",
        "eci.add_counterreading",
        "eci.view_paperbatch",
        "eci.add_paperbatch",
        "eci.change_paperbatch",
        "eci.view_sponsor",
        "eci.add_sponsor",
        "eci.change_sponsor",
        "shield.view_alert",
        "shield.view_invalidationrun",
    ],
    MODERATOR: [
        "letters.view_petition",
        "letters.view_counts",
        "letters.view_signature",
        "letters.moderate_signature",
        "letters.view_countrycount",
    ],
}


def sync_roles(**kwargs: Any) -> None:
    """Create the role groups and give them their permissions (runs after migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
