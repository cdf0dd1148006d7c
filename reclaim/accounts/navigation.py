from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reclaim.accounts.access import PERMISSION
from reclaim.core.hooks import StaffLink

STAFF_LINKS = [
    StaffLink(
        _("Staff accounts"),
        PERMISSION,
        lambda: [(_("Authenticator enrolment links"), reverse("accounts:enrolment"))],
    ),
]
