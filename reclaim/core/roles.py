"""Organisers write the front page's words."""

from reclaim.core.hooks import ORGANISER, Grant

PERMISSIONS = [
    Grant(ORGANISER, ["core.view_frontpage", "core.add_frontpage", "core.change_frontpage"]),
]
