from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    AuditKind("privacy.erase", _("Records erased at the request of their data subject")),
    AuditKind("retention.run", _("Retention policies run")),
]
