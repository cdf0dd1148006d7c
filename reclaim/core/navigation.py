"""Navigation the core itself adds: nothing in the header (the apps bring their sections),
and the admin's own pages for every staff member who may use it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import StaffLink

STAFF_LINKS = [
    StaffLink(
        _("Front page"),
        "core.change_frontpage",
        lambda: [
            (
                _("Words of the front page, per language"),
                reverse("admin:core_frontpage_changelist"),
            )
        ],
    ),
]
