from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import StaffLink

STAFF_LINKS = [
    StaffLink(
        _("Audit log"),
        "audit.view_auditentry",
        lambda: [(_("Download the whole audit log (CSV)"), reverse("audit:export"))],
    ),
]
