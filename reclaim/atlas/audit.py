"""What the atlas writes to the audit log. Each part adds its kinds in its own section."""

from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    # --- records: deployments, devices, evidence, reverts (services/records.py) ---------
    AuditKind("atlas.deployment_create", _("Atlas deployment entered")),
    AuditKind("atlas.deployment_change", _("Atlas deployment changed")),
    AuditKind("atlas.deployment_delete", _("Atlas deployment deleted")),
    AuditKind("atlas.capability_change", _("Atlas deployment's capability entered or changed")),
    AuditKind("atlas.capability_delete", _("Atlas deployment's capability deleted")),
    AuditKind("atlas.foi_change", _("Atlas FOI request entered or changed")),
    AuditKind("atlas.foi_delete", _("Atlas FOI request deleted")),
    AuditKind("atlas.device_create", _("Atlas device entered")),
    AuditKind("atlas.device_change", _("Atlas device changed")),
    AuditKind("atlas.device_delete", _("Atlas device deleted")),
    AuditKind("atlas.record_revert", _("Atlas record reverted to an earlier version")),
    AuditKind("atlas.evidence_add", _("Evidence added to an atlas record")),
    AuditKind("atlas.evidence_change", _("Evidence of an atlas record changed")),
    AuditKind("atlas.evidence_remove", _("Evidence removed from an atlas record")),
    AuditKind("atlas.photo_add", _("Photo added to an atlas device")),
    AuditKind("atlas.photo_change", _("Photo of an atlas device changed")),
    AuditKind("atlas.photo_remove", _("Photo removed from an atlas device")),
    # --- reports: anonymous reports and their contact (services/reports.py) -------------
    AuditKind("atlas.report_file", _("Anonymous atlas report filed")),
    AuditKind("atlas.report_contact_confirm", _("Contact address of an atlas report confirmed")),
    AuditKind("atlas.report_contact_purge", _("Contact addresses of atlas reports erased")),
    AuditKind("atlas.report_purge", _("Decided atlas reports deleted after their period")),
    AuditKind("atlas.report_erase", _("Atlas reports erased on a data-subject request")),
    # --- review: decisions, votes, official confirmation (services/verification.py) -----
    AuditKind("atlas.report_accept", _("Atlas report accepted")),
    AuditKind("atlas.report_reject", _("Atlas report rejected")),
    AuditKind("atlas.vote", _("Reviewer voted on an atlas record")),
    AuditKind("atlas.confirm_official", _("Atlas record confirmed by an official source")),
    AuditKind("atlas.withdraw", _("Atlas record withdrawn")),
    AuditKind("atlas.republish", _("Atlas record published again")),
]
