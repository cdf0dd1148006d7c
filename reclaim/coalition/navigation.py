"""Where the coalition appears: the header and the staff area. Each part adds its items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reclaim.coalition.roles import PARTNER
from reclaim.core.hooks import AccountHome, Link, StaffLink

LINKS = [Link(_("Coalition"), "coalition:directory")]

STAFF_LINKS = [
    StaffLink(
        _("Coalition directory"),
        "coalition.add_cosignaturelink",
        lambda: [
            (_("Match co-signatures to directory entries"), reverse("coalition:cosignatures"))
        ],
    ),
    StaffLink(
        _("Applications to join"),
        "coalition.vet_application",
        lambda: [
            (_("Applications to join the coalition"), reverse("coalition:applications_list")),
            (_("The coalition's principles"), reverse("coalition:applications_principles")),
        ],
    ),
    StaffLink(
        _("Partner accounts"),
        "coalition.change_organisation",
        lambda: [(_("Partners' profile changes"), reverse("coalition:partner_review"))],
    ),
]

# A partner lands in their organisation's area after signing in (the admin is closed to them).
ACCOUNT_HOMES = [AccountHome(PARTNER, "coalition:partner_home")]
