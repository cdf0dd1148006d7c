"""The coalition: its organisations, how they apply to join, their staff and their widgets.

An organisation is listed in the public directory once it is a member and organisers have
approved its profile. Partners' own edits wait as ``ProfileChange`` rows until an organiser
approves them. Nothing here is a signer's personal data: the application's contact person
is, and it has a retention policy (``retention.py``) and a privacy finder (``privacy.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Organisation(models.Model):
    class Tier(models.TextChoices):
        LEAD = "lead", _("Lead organisation")
        PARTNER = "partner", _("Campaign partner")
        SUPPORTER = "supporter", _("Supporter")

    class Kind(models.TextChoices):
        DIGITAL_RIGHTS = "digital_rights", _("Digital-rights group")
        HUMAN_RIGHTS = "human_rights", _("Human-rights group")
        NETWORK = "network", _("Network")
        UNION = "union", _("Union")
        PARTY = "party", _("Political party")
        MEP = "mep", _("Member of the European Parliament")
        ACADEMIC = "academic", _("Academic")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        MEMBER = "member", _("Member")
        LEFT = "left", _("Left")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # Blank means the organisation works internationally rather than from one country.
    country = CountryField(
        _("country"), blank=True, help_text=_("Leave empty for an international organisation.")
    )
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default=Tier.PARTNER)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), max_length=300, blank=True)
    # The logo as we re-encoded it (never the uploaded bytes): kept in the database so that
    # every application server serves it without shared disk. ``logo_version`` changes with
    # each new logo and is part of its URL, so the URL can be cached for a year.
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=32, blank=True, editable=False)
    logo_version = models.CharField(max_length=16, blank=True, editable=False)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLICANT
    )
    profile_approved_at = models.DateTimeField(_("profile approved"), null=True, blank=True)
    # The campaigns it takes part in, besides the letters it co-signed.
    petitions = models.ManyToManyField(
        "letters.Petition",
        blank=True,
        related_name="coalition_members",
        verbose_name=_("petitions"),
    )
    initiatives = models.ManyToManyField(
        "eci.Initiative",
        blank=True,
        related_name="coalition_members",
        verbose_name=_("citizens' initiatives"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["status", "tier"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.MEMBER and self.profile_approved_at is not None


class Description(models.Model):
    """What the organisation says of itself, in one language."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="descriptions"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(_("description"), max_length=2000)

    class Meta:
        verbose_name = _("description")
        verbose_name_plural = _("descriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language"], name="one_description_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.language})"


class ProfileChange(models.Model):
    """A partner's edit of its own profile, waiting for an organiser."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="profile_changes"
    )
    # The proposed values of the editable fields, and a new logo already re-encoded.
    proposed = models.JSONField(_("proposed values"), default=dict)
    logo = models.BinaryField(null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=32, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why organisers rejected it: mailed to the partner's staff and shown in their area.
    reason = models.TextField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_state_display()})"


class Partner(models.Model):
    """A staff account of a member organisation: it sees that organisation only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partners"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class Principles(models.Model):
    """The coalition's principles as organisers set them; applicants agree to one version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"))
    # One text for every applicant, in the language organisers wrote it in: pages in other
    # languages mark it with its own lang attribute, so screen readers read it right.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("principles")
        verbose_name_plural = _("principles")

    def __str__(self) -> str:
        return str(_("Principles, version %(version)s") % {"version": self.version})


class Application(models.Model):
    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for email confirmation")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        MORE_INFORMATION = "more_information", _("More information asked")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.UNCONFIRMED
    )
    name = models.CharField(_("organisation's name"), max_length=200)
    country = CountryField(_("country"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Organisation.Kind.choices, default=Organisation.Kind.OTHER
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    description = models.TextField(_("what the organisation does"), max_length=2000)
    motivation = models.TextField(_("why it wants to join"), max_length=4000)
    # The contact person: personal data, erased by the retention policy after the decision.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email address"), max_length=254, blank=True)
    email_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8)
    principles = models.ForeignKey(
        Principles, on_delete=models.PROTECT, verbose_name=_("principles agreed to")
    )
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        permissions = [("vet_application", "Can vet applications to join the coalition")]

    def __str__(self) -> str:
        return self.name


class ApplicationNote(models.Model):
    """An organiser's internal note on an application: never shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.application} · {self.created_at:%Y-%m-%d}"


class CoSignatureLink(models.Model):
    """An organisation's co-signature of a letter, matched to its directory entry by an
    organiser (never automatically by name: two groups may share one)."""

    signature = models.OneToOneField(
        "letters.Signature", on_delete=models.CASCADE, related_name="coalition_link"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cosignatures"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.organisation} · {self.signature.petition_id}"


class Widget(models.Model):
    """An embeddable sign-up widget of one member for one petition or the ECI dashboard.

    Its key is in the widget's URL path: a signature made through it records the key, and
    partners see only counts per widget. No cookie, referrer or fingerprint is used.
    """

    class Target(models.TextChoices):
        PETITION = "petition", _("Petition or letter")
        ECI = "eci", _("Citizens' initiative dashboard")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="widgets")
    key = models.CharField(max_length=24, unique=True, editable=False)
    target = models.CharField(_("shows"), max_length=16, choices=Target.choices)
    petition = models.ForeignKey(
        "letters.Petition", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    initiative = models.ForeignKey(
        "eci.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Blank: the visitor's language.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    # One origin per line (https://example.org): the frame-ancestors the widget allows.
    # Blank: any site may embed it.
    allowed_hosts = models.TextField(
        _("sites allowed to embed it"),
        blank=True,
        help_text=_("One address per line, such as https://example.org. Empty: any site."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "created_at"]
        verbose_name = _("widget")
        verbose_name_plural = _("widgets")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_target_display()}"
