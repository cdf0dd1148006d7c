"""What the newsroom writes to the audit log. Each part adds its kinds here."""

from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import AuditKind

AUDIT_KINDS = [
    # Articles, translations and tags (services/articles.py)
    AuditKind("news.article_create", _("Article written")),
    AuditKind("news.article_change", _("Article edited")),
    AuditKind("news.article_translate", _("Article translated")),
    AuditKind("news.article_publish", _("Article published")),
    AuditKind("news.article_unpublish", _("Article unpublished")),
    AuditKind("news.article_schedule", _("Article scheduled")),
    AuditKind("news.article_delete", _("Article deleted")),
    AuditKind("news.tag_change", _("News tag added or renamed")),
    # Images (services/images.py)
    AuditKind("news.image_upload", _("Image uploaded for articles")),
    AuditKind("news.image_change", _("Image's text alternative changed")),
    AuditKind("news.image_delete", _("Image deleted")),
    # Readers' comments (services/comments.py)
    AuditKind("news.comment_approve", _("Reader's comment approved")),
    AuditKind("news.comment_reject", _("Reader's comment rejected")),
    AuditKind("news.comment_hide", _("Reader's comment hidden")),
    AuditKind("news.comment_hidden_by_reports", _("Reader's comment hidden after reports")),
    AuditKind("news.comment_reply_stopped", _("Commenter stopped reply notifications")),
    AuditKind("news.comment_address_purge", _("Commenters' reply addresses erased")),
    AuditKind("news.comment_rejected_purge", _("Rejected comments deleted")),
    AuditKind("news.comment_erase", _("Commenter's data erased on request")),
]
