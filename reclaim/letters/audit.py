"""What the signature engine writes to the audit log."""

from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    AuditKind("signature.export", _("Signatures decrypted and exported")),
    AuditKind("signature.import", _("Signatures imported")),
    AuditKind("signature.withdraw", _("Signature withdrawn by its signer")),
    AuditKind("signature.approve", _("Organisations approved")),
    AuditKind("signature.reject", _("Organisations rejected")),
    AuditKind("signature.hide", _("Listed names hidden")),
    AuditKind("signature.invalidate", _("Signatures invalidated")),
    AuditKind("signature.undo", _("Invalidation undone")),
    AuditKind("signature.restore", _("Invalidated signatures restored")),
    AuditKind("signature.purge_invalidated", _("Invalidated signatures deleted")),
    AuditKind("signature.purge_unconfirmed", _("Unconfirmed signatures deleted")),
    AuditKind("signature.purge_petition", _("Signer data of a petition deleted")),
    AuditKind("signature.alert", _("Trending sources detected")),
    AuditKind("signature.alert_resolve", _("Alert resolved")),
]
