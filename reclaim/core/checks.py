"""System checks of the hooks: every declared item is well formed and has a name of its own."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.checks import CheckMessage, Error, register

from reclaim.core.hooks import all_hooks


@register()
def hooks_are_unique(**kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for hook in all_hooks():
        if hook.key is None:
            continue
        apps_by_name: dict[str, list[str]] = defaultdict(list)
        for declared in hook.declared():
            apps_by_name[hook.key(declared.item)].append(declared.app.name)
        for name, owners in apps_by_name.items():
            if len(owners) > 1:
                errors.append(
                    Error(
                        f"{hook.attribute} in {hook.module}.py: {name!r} is declared "
                        f"{len(owners)} times ({', '.join(owners)}).",
                        hint="Give each its own name.",
                        id="reclaim.core.E001",
                    )
                )
    return errors
