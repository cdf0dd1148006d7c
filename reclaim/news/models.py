"""The newsroom: articles in several languages, their images, tags and readers' comments.

An article written first is a source; a translation is an article of another language that
points to its source and records which revision of the source it was made from. Editing a
source's title, summary or body raises its ``revision``: a translation whose
``source_revision`` is lower lags, and says so to its readers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tag(models.Model):
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    # The tag's name per language code ({"en": "Facial recognition", "de": ...}).
    names = models.JSONField(_("names"), default=dict)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return str(self.names.get(settings.LANGUAGE_CODE) or self.slug)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class Comments(models.TextChoices):
        MODERATE_FIRST = "moderate_first", _("Held for moderation")
        PUBLISH_FIRST = "publish_first", _("Published at once, moderated after")
        CLOSED = "closed", _("Closed")

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    slug = models.SlugField(_("address"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    author = models.ForeignKey(
        "coalition.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("author organisation"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # For a scheduled article: when it appears; for a published one: when it did.
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True)
    # The source this is a translation of (None: it is a source).
    source = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    # Raised on every edit of the title, summary or body.
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    # For a translation: the source's revision it was translated from.
    source_revision = models.PositiveIntegerField(
        _("translated from revision"), null=True, blank=True
    )
    comments = models.CharField(
        _("comments"), max_length=16, choices=Comments.choices, default=Comments.MODERATE_FIRST
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="one_slug_per_language"),
            models.UniqueConstraint(
                fields=["source", "language"], name="one_translation_per_language"
            ),
        ]
        indexes = [models.Index(fields=["language", "status", "published_at"])]
        permissions = [("moderate_comment", "Can moderate readers' comments")]

    def __str__(self) -> str:
        return self.title

    @property
    def lags(self) -> bool:
        """A translation made from an older revision of its source."""
        return (
            self.source_id is not None
            and self.source is not None
            and (self.source_revision or 0) < self.source.revision
        )


class Image(models.Model):
    """An image staff uploaded for articles, as we re-encoded it (never the uploaded bytes),
    kept in the database so that every application server serves it."""

    data = models.BinaryField(editable=False)
    content_type = models.CharField(max_length=32, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    version = models.CharField(max_length=16, editable=False)
    alt = models.CharField(
        _("text alternative"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it. Required."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt


class Comment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="all_comments")
    display_name = models.CharField(_("name shown"), max_length=80)
    text = models.TextField(_("comment"), max_length=4000)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    reports = models.PositiveIntegerField(_("reports"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Optional, double opt-in: an address to be told of replies. Personal data with a
    # deletion date (retention.py), kept encrypted at rest under a key outside the database
    # (reclaim.mail.addresses, as newsletter subscribers' addresses); the keyed hash finds
    # it for data-subject requests.
    reply_email_sealed = models.BinaryField(null=True, blank=True, editable=False)
    email_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    reply_confirmed_at = models.DateTimeField(null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # When a moderator last decided (a rejected comment's retention counts from here), and
    # when the address was last told of a new comment (at most one mail a day per article).
    moderated_at = models.DateTimeField(null=True, blank=True)
    reply_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["article", "state"])]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.text[:40]}"


class CommentReport(models.Model):
    """One reader's report of a comment; the source's keyed hash (daily salt, reclaim.shield)
    stops one reader from reporting a comment many times."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports_made")
    source_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "source_hash"], name="one_report_per_source")
        ]

    def __str__(self) -> str:
        return f"report of comment {self.comment_id}"
