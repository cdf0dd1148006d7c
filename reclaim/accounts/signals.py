"""Role changes are organiser actions on who may see personal data: audit them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from reclaim.accounts.access import is_account
from reclaim.audit.services import current_actor, record


def groups_changed(
    sender: Any, instance: Any, action: str, pk_set: Any, reverse: bool, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    names = sorted(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    record(
        current_actor(),
        f"role.{action.removeprefix('post_')}",
        target=f"user:{instance.pk}",
        count=len(names),
        roles=names,
        username=instance.get_username(),
    )


def staff_flags_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    previous = sender.objects.filter(pk=instance.pk).values("is_staff", "is_superuser").first()
    if previous is None:
        return
    changed = {
        flag: getattr(instance, flag)
        for flag in ("is_staff", "is_superuser")
        if previous[flag] != getattr(instance, flag)
    }
    if changed:
        record(current_actor(), "role.flags", target=f"user:{instance.pk}", count=1, **changed)


def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: staff mail goes out in the language they sign in with."""
    # Partners too: their mail (a profile change decided) goes out in their language.
    if request is not None and is_account(user):
        from reclaim.accounts.services import remember_language

        remember_language(user, getattr(request, "LANGUAGE_CODE", ""))
