"""What the coalition app writes to the audit log. Each part adds its kinds here."""

from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    # Directory (services/directory.py)
    AuditKind("coalition.profile_approve", _("Organisation's profile approved for the directory")),
    AuditKind("coalition.logo_change", _("Organisation's logo changed")),
    AuditKind("coalition.cosignature_link", _("Co-signature linked to a directory entry")),
    AuditKind("coalition.cosignature_unlink", _("Co-signature unlinked from a directory entry")),
    # Widgets (services/widgets.py)
    AuditKind("coalition.widget_create", _("Widgets made for a member")),
    AuditKind("coalition.widget_retire", _("Widget retired")),
    AuditKind("coalition.widget_hosts", _("Sites allowed to embed a widget changed")),
    AuditKind("coalition.widget_language", _("Widget's language changed")),
    # Applications to join (services/applications.py, services/principles.py)
    AuditKind("coalition.principles_publish", _("New version of the coalition's principles")),
    AuditKind("coalition.application_under_review", _("Application to join under review")),
    AuditKind(
        "coalition.application_more_information", _("More information asked of an applicant")
    ),
    AuditKind("coalition.application_accepted", _("Application to join accepted")),
    AuditKind("coalition.application_declined", _("Application to join declined")),
    AuditKind("coalition.application_note", _("Internal note on an application added")),
    AuditKind("coalition.invitation_resend", _("Partner invitation sent again")),
    AuditKind("coalition.partner_password_set", _("Invited partner chose a password")),
    AuditKind("coalition.application_purge", _("Contact data of decided applications erased")),
    AuditKind("coalition.application_purge_unconfirmed", _("Unconfirmed applications deleted")),
    # Partner accounts (services/partners.py, services/profile_changes.py)
    AuditKind("coalition.partner_account_create", _("Partner account made")),
    AuditKind("coalition.profile_change_submit", _("Partner sent a profile change")),
    AuditKind("coalition.profile_change_approve", _("Partner's profile change approved")),
    AuditKind("coalition.profile_change_reject", _("Partner's profile change rejected")),
]
