from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [AuditKind("audit.export", _("Audit log exported"))]
