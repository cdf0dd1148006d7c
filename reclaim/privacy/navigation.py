from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Link

FOOTER_LINKS = [
    Link(_("Privacy: what we store and for how long"), "privacy:statement"),
    Link(_("See or erase your data"), "privacy:request"),
]
