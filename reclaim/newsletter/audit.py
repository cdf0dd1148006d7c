"""What the newsletter app writes to the audit log. Each part adds its kinds here."""

from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    # Subscriptions (services/subscriptions.py, services/imports.py)
    AuditKind("newsletter.unsubscribe", _("Newsletter subscription ended by its owner")),
    AuditKind("newsletter.import", _("Newsletter subscribers imported")),
    AuditKind("newsletter.purge_unconfirmed", _("Unconfirmed newsletter subscriptions deleted")),
    AuditKind("newsletter.expire", _("Inactive newsletter subscriptions expired")),
    # Sending (services/issues.py, services/sending.py)
    AuditKind("newsletter.issue_write", _("Newsletter issue written or changed")),
    AuditKind("newsletter.issue_test", _("Newsletter issue sent as a test to its writer")),
    AuditKind("newsletter.issue_schedule", _("Newsletter issue scheduled")),
    AuditKind("newsletter.issue_cancel", _("Scheduled newsletter issue cancelled")),
    AuditKind("newsletter.issue_send", _("Newsletter issue began sending")),
    AuditKind("newsletter.issue_finish", _("Newsletter issue sent to every subscriber")),
]
