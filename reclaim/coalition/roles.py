"""What the staff roles may do in the coalition app. Each part adds its grants here."""

from reclaim.core.hooks import ORGANISER, Grant, Role

# A member organisation's staff: an account that signs in with a password and a second
# factor like staff, but is not staff (``is_staff`` stays off, so the admin stays closed)
# and holds no model permission: this app checks every object it may see against its
# organisation (access_partners.py).
PARTNER = "Partners"
ROLES = [Role(PARTNER, staff=False)]

PERMISSIONS = [
    # Directory: organisations in the admin, and matching letters' co-signatures.
    Grant(
        ORGANISER,
        [
            "coalition.view_organisation",
            "coalition.add_organisation",
            "coalition.change_organisation",
            "coalition.view_description",
            "coalition.add_description",
            "coalition.change_description",
            "coalition.delete_description",
            "coalition.view_cosignaturelink",
            "coalition.add_cosignaturelink",
            "coalition.delete_cosignaturelink",
        ],
    ),
    # Widgets: seen, configured and retired in the admin (admin_widgets.py).
    Grant(ORGANISER, ["coalition.view_widget", "coalition.change_widget"]),
    # Applications to join: vetted on the pages under /coalition/join/staff/.
    Grant(ORGANISER, ["coalition.vet_application"]),
]
