from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    AuditKind("account.locked", _("Sign-in refused: username locked")),
    AuditKind("account.two_factor_device_created", _("Authenticator set up for a colleague")),
    AuditKind("account.two_factor_enrolled", _("Authenticator enrolled")),
    AuditKind("account.enrolment_link_issued", _("Authenticator enrolment link issued")),
    AuditKind("role.add", _("Roles given")),
    AuditKind("role.remove", _("Roles taken away")),
    AuditKind("role.clear", _("All roles taken away")),
    AuditKind("role.flags", _("Staff or superuser status changed")),
]
