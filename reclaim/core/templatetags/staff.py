"""The staff area's own pages, as each app declares them (``navigation.STAFF_LINKS``)."""

from __future__ import annotations

from typing import Any

from django import template

from reclaim.core.hooks import STAFF_LINKS, Text

register = template.Library()


@register.simple_tag
def staff_links(user: Any) -> list[tuple[Text, list[tuple[Text, str]]]]:
    """(title, [(label, URL), ...]) of every group of pages the user may open."""
    if not getattr(user, "is_staff", False):
        return []
    groups = []
    for group in STAFF_LINKS:
        if not user.has_perm(group.permission):
            continue
        links = group.links()
        if links:
            groups.append((group.title, links))
    return groups
