"""Petitions, open letters and their signatures."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# The models of moderation (alerts, bulk invalidations) live with the code that uses them;
# imported here so that Django registers them with this app.
from reclaim.letters.moderation.models import Alert as Alert
from reclaim.letters.moderation.models import InvalidationRun


class Petition(models.Model):
    class Kind(models.TextChoices):
        PETITION = "petition", _("Petition")
        LETTER = "letter", _("Open letter")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PETITION)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    text = models.TextField(_("text"), help_text=_("Paragraphs are separated by a blank line."))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("For open letters: to whom it is addressed.")
    )
    goal = models.PositiveIntegerField(_("goal"), default=10000)
    milestones = models.JSONField(
        _("milestones"),
        default=list,
        blank=True,
        help_text=_("Signature counts to celebrate on the way to the goal, e.g. [1000, 5000]."),
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    asks_comment = models.BooleanField(_("asks for a comment"), default=True)
    allows_organisations = models.BooleanField(_("organisations may co-sign"), default=True)
    allows_individuals = models.BooleanField(_("individuals may sign"), default=True)
    retention_days = models.PositiveIntegerField(
        _("retention after closing (days)"),
        default=90,
        help_text=_("Signer data is deleted this many days after the petition closes."),
    )
    data_purged_at = models.DateTimeField(_("signer data deleted"), null=True, blank=True)
    # Stored by the aggregation job (reclaim.letters.counting) so that the public list of
    # signatories never counts its rows per request.
    listed_people = models.PositiveIntegerField(
        _("people listed publicly"), default=0, editable=False
    )
    listed_organisations = models.PositiveIntegerField(
        _("organisations listed publicly"), default=0, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("petition or letter")
        verbose_name_plural = _("petitions and letters")
        permissions = [
            ("export_signatures", _("Can export and decrypt signatures")),
            ("view_counts", _("Can see signature counts")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("letters:detail", args=[self.slug])

    def clean(self) -> None:
        if self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing date must be after the opening.")})
        if not isinstance(self.milestones, list) or not all(
            isinstance(m, int) and m > 0 for m in self.milestones
        ):
            raise ValidationError(
                {"milestones": _("Milestones must be a list of positive numbers.")}
            )

    @property
    def deletion_date(self) -> datetime:
        """When every signer's personal data is deleted: shown before anyone signs."""
        return self.closes_at + timedelta(days=self.retention_days)

    def is_accepting(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    def context(self) -> str:
        """Associated data bound into every sealed box of this petition."""
        return f"petition/{self.pk}"


# Who appears on the public list of signatories: confirmed, still valid, chose to be
# listed with a name, not hidden by a moderator, and (organisations) not waiting for or
# refused approval. The condition of the partial index that serves the list
# (sig_public_list_idx), and the filter of every query that reads the list.
#
# A database uses a partial index only when the query repeats its condition, and SQLite
# (which has no statistics unless someone runs ANALYZE) only when each term is repeated
# literally. Hence two oddities, each checked by tests/test_signatories.py:
# - Django passes values such as '' or 'pending' as parameters, which SQLite does not
#   match against an index's constants: they are written into the SQL as constants
#   (_sql), so that query and index read alike. Without them in the index, counting the
#   listed people read every listed row from the table: 2.4 s at 300,000 on SQLite.
# - "invalidated_at IS NULL" would let SQLite's planner prefer sig_count_idx (petition,
#   invalidated_at, ...), reading every confirmed row of the petition and sorting them,
#   over this index that yields a page in order. Written as NOT (... IS NOT NULL), which
#   means the same, it is not an index term for SQLite; PostgreSQL normalises both alike.


def _sql(constant: str) -> RawSQL:
    return RawSQL(constant, [], output_field=models.CharField())  # noqa: S611 (constant)


PUBLICLY_LISTED = (
    Q(listed=True, confirmed_at__isnull=False, hidden_at__isnull=True)
    & ~Q(invalidated_at__isnull=False)
    & ~Q(public_name=_sql("''"))
    # Signature.Review.PENDING and REJECTED (the class is defined below).
    & ~Q(review=_sql("'pending'"))
    & ~Q(review=_sql("'rejected'"))
)


class SignatureQuerySet(models.QuerySet["Signature"]):
    def counted(self) -> SignatureQuerySet:
        return self.filter(confirmed_at__isnull=False, invalidated_at__isnull=True)

    def publicly_listed(self) -> SignatureQuerySet:
        return self.filter(PUBLICLY_LISTED)


class Signature(models.Model):
    """One signature. Insert-only as far as counting goes: no request touches a counter.

    Personal data lives only in ``sealed``, a box to the campaign's public key. The name
    (and organisation website) the signer chose to publish are the only readable personal
    fields. The country stays readable because counts per country are public.
    """

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ORGANISATION = "organisation", _("Organisation")

    class Review(models.TextChoices):
        NOT_NEEDED = "", _("Not needed")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # No index of its own: sig_count_idx and one_signature_per_address start with it.
    petition = models.ForeignKey(
        Petition,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("petition"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    country = CountryField(_("country"))
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("signed"), default=timezone.now)

    sealed = models.BinaryField(_("sealed data"), null=True)
    key_id = models.CharField(_("key id"), max_length=32, blank=True)
    # HMAC of the canonical email under a server key; NULL once the data is deleted.
    # NULL, not "", so that the unique constraints ignore deleted rows (NULLs are distinct).
    email_hash = models.CharField(max_length=64, null=True)  # noqa: DJ001
    # Unique by a constraint in Meta (see the indexes there).
    token_hash = models.CharField(max_length=64, null=True)  # noqa: DJ001
    # Abuse control (reclaim.shield, reclaim.letters.moderation): a keyed hash of the
    # client's network under a salt that is destroyed after a day, and a keyed hash of the
    # email's domain. Indexed in Meta.
    source_hash = models.CharField(max_length=32, blank=True)
    email_domain_hash = models.CharField(max_length=64, blank=True)
    invalidation_run = models.ForeignKey(
        InvalidationRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
    )

    public_name = models.CharField(_("listed name"), max_length=200, blank=True)
    public_website = models.URLField(_("listed website"), max_length=200, blank=True)
    listed = models.BooleanField(_("listed publicly"), default=False)
    hidden_at = models.DateTimeField(_("hidden by a moderator"), null=True, blank=True)
    review = models.CharField(
        _("review"), max_length=16, choices=Review.choices, default="", blank=True
    )

    # The key of the partner's widget it was signed through (reclaim.coalition): partners
    # see counts per widget only. Blank for a signature made on our own pages.
    widget_key = models.CharField(_("signed through widget"), max_length=24, blank=True)

    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidated"), null=True, blank=True)
    personal_data_deleted_at = models.DateTimeField(_("personal data deleted"), null=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            # The database, not a check-then-insert, stops a second signature with the
            # same address: two simultaneous posts cannot both get through.
            models.UniqueConstraint(
                fields=["petition", "email_hash"], name="one_signature_per_address"
            ),
            models.UniqueConstraint(fields=["token_hash"], name="one_signature_per_token"),
        ]
        # Every index is paid on every insert and every purge UPDATE. The hashes are
        # indexed here rather than with unique=True/db_index=True on the field, for which
        # PostgreSQL also gets a varchar_pattern_ops ("_like") copy of each: the token and
        # domain hashes are only ever compared whole. Source hashes are also matched by
        # prefix (letters.moderation.invalidation: an organiser gives the first characters
        # shown in an alert), so theirs is the one index, in varchar_pattern_ops: it serves
        # = and IN as well as LIKE 'prefix%' in any collation.
        indexes = [
            # Partial: signatures made on our own pages (most) pay nothing for it.
            models.Index(
                fields=["widget_key", "confirmed_at"],
                name="signature_by_widget",
                condition=~models.Q(widget_key=""),
            ),
            models.Index(
                fields=["petition", "invalidated_at", "confirmed_at", "country"],
                name="sig_count_idx",
            ),
            models.Index(fields=["confirmed_at", "created_at"], name="sig_expiry_idx"),
            models.Index(fields=["created_at"], name="sig_created_idx"),
            models.Index(
                fields=["source_hash"], name="sig_source_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["email_domain_hash"], name="sig_email_domain_idx"),
            # The public list of signatories, one page at a time in signing order
            # (keyset pagination on created_at, id), and its counts per kind for the
            # aggregation job: only listed rows are in it, so it costs nothing for the
            # others and stays a fraction of the table.
            models.Index(
                fields=["petition", "kind", "created_at", "id"],
                condition=PUBLICLY_LISTED,
                name="sig_public_list_idx",
            ),
        ]
        permissions = [
            ("moderate_signature", _("Can approve organisations and hide listed names")),
            ("invalidate_signature", _("Can invalidate signatures")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_public(self) -> bool:
        return (
            self.listed
            and self.confirmed_at is not None
            and self.invalidated_at is None
            and self.hidden_at is None
            and self.review in ("", self.Review.APPROVED)
        )


class CountryCount(models.Model):
    """Confirmed signatures per petition and country, rebuilt by the aggregation job."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="counts", verbose_name=_("petition")
    )
    country = CountryField(_("country"))
    count = models.PositiveIntegerField(_("signatures"), default=0)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "country"], name="one_count_per_country")
        ]
        verbose_name = _("count per country")
        verbose_name_plural = _("counts per country")

    def __str__(self) -> str:
        return f"{self.country}: {self.count}"


class MilestoneReached(models.Model):
    """The moment a petition's confirmed count first reached a milestone or its goal."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="reached", verbose_name=_("petition")
    )
    threshold = models.PositiveIntegerField(_("threshold"))
    reached_at = models.DateTimeField(_("reached"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "threshold"], name="one_reach_per_milestone"
            )
        ]
        ordering = ["threshold"]
        verbose_name = _("milestone reached")
        verbose_name_plural = _("milestones reached")

    def __str__(self) -> str:
        return f"{self.threshold} @ {self.reached_at:%Y-%m-%d}"
