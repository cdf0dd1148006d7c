"""What the ECI companion writes to the audit log."""

from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    AuditKind("eci.figures.manual", _("Figures entered by hand")),
    AuditKind("sponsor.add", _("Sponsor disclosed")),
    AuditKind("sponsor.change", _("Sponsor corrected")),
    AuditKind("sponsor.remove", _("Sponsor taken off the list")),
    AuditKind("paper.received", _("Paper batch received")),
    AuditKind("paper.counted", _("Paper batch counted")),
    AuditKind("paper.stored", _("Paper batch stored")),
    AuditKind("paper.sent", _("Paper batch sent to the national authority")),
    AuditKind("paper.certified", _("Certificate for a paper batch received")),
    AuditKind("paper.destroyed", _("Paper batch destroyed")),
    AuditKind("paper.overdue_mail", _("Organisers told about overdue paper")),
    AuditKind(
        "eci.representative.erase",
        _("Organisers' representative's name and email address erased"),
    ),
]
