from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    AuditKind("key.create", _("Sealing key created")),
    AuditKind("key.retire", _("Sealing key retired")),
]
