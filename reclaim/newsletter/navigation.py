"""Where the newsletter appears: the footer and the staff area. Each part adds its items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Link, StaffLink

FOOTER_LINKS = [Link(_("Newsletter"), "newsletter:subscribe")]

STAFF_LINKS = [
    StaffLink(
        _("Newsletter subscribers"),
        "newsletter.add_subscription",
        lambda: [(_("Import subscribers from another tool"), reverse("newsletter:import"))],
    ),
    StaffLink(
        _("Newsletter issues"),
        "newsletter.change_issue",
        lambda: [(_("Write, preview and send issues"), reverse("newsletter:staff_issues"))],
    ),
]
