"""The surveillance atlas: deployments of biometric surveillance, their devices, the
evidence for each claim, anonymous reports and reviewers' votes.

A **deployment** is a system in use somewhere (who operates it, what it can do, on what
legal basis); a **device** is one camera or sensor of it, at a point on the map. Both carry
a graded verification (``Verified``): reported, corroborated by several reviewers voting
separately, or confirmed by an official source, and are public only once a reviewer has
looked at them (``published``).

Anything a visitor sends is a ``Report`` until a reviewer accepts it: nothing of it is
public before. A report's optional contact address is sealed at rest and has a deletion
date; its photos are re-encoded without metadata before they are stored
(``reclaim.lib.images``), so the uploaded original is never kept.

Deployments and devices keep their history (django-simple-history), so a wrong change can
be reverted; every change also writes an audit entry (``audit.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

LATITUDE = [MinValueValidator(-90.0), MaxValueValidator(90.0)]
LONGITUDE = [MinValueValidator(-180.0), MaxValueValidator(180.0)]


class Verification(models.TextChoices):
    """How sure we are that a record is true, in the order of strength."""

    REPORTED = "reported", _("Reported")
    CORROBORATED = "corroborated", _("Corroborated")
    CONFIRMED = "confirmed", _("Confirmed by an official source")


class Agreement(models.TextChoices):
    """How the reviewers' separate votes on a record agree ("" before the first vote)."""

    NONE = "", _("No votes yet")
    UNANIMOUS = "unanimous", _("Unanimous")
    MAJORITY = "majority", _("Majority")
    SPLIT = "split", _("Split")


class Verified(models.Model):
    """What deployments and devices share: their verification and publication."""

    verification = models.CharField(
        _("verification"),
        max_length=16,
        choices=Verification.choices,
        default=Verification.REPORTED,
    )
    agreement = models.CharField(
        _("reviewers' agreement"), max_length=16, choices=Agreement.choices, blank=True
    )
    # The reviewers' votes so far, kept on the record for lists and the map
    # (services/verification.py recounts them from ``Vote`` rows on every vote).
    votes_for = models.PositiveIntegerField(_("votes for"), default=0, editable=False)
    votes_total = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    # Public once a reviewer accepted it (or staff entered it); off when withdrawn.
    published = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Deployment(Verified):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PILOT = "pilot", _("Pilot")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    class Dpia(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        EXISTS = "exists", _("An impact assessment exists")
        PUBLISHED = "published", _("An impact assessment was published")
        NONE = "none", _("No impact assessment was made")
        REFUSED = "refused", _("The operator refuses to say")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    city = models.CharField(_("city or area"), max_length=120, blank=True)
    country = CountryField(_("country"))
    operator = models.CharField(_("operator"), max_length=200, blank=True)
    system = models.CharField(_("system"), max_length=200, blank=True)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis claimed"), blank=True)
    dpia = models.CharField(
        _("data-protection impact assessment"),
        max_length=16,
        choices=Dpia.choices,
        default=Dpia.UNKNOWN,
    )
    # Where to show a deployment that has no devices on the map (a pilot in one school,
    # a system used at police stops): its centre. Optional.
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=LONGITUDE)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["country", "city", "name"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        permissions = [
            ("review_atlas", "Review reports and vote on atlas records"),
            ("confirm_atlas", "Confirm atlas records from an official source, revert changes"),
        ]
        indexes = [models.Index(fields=["published", "country", "city"])]

    def __str__(self) -> str:
        return self.name


class Capability(models.Model):
    """What a deployment can do, and how sure we are of it."""

    class Kind(models.TextChoices):
        FACE = "face", _("Face recognition")
        GAIT = "gait", _("Gait recognition")
        VOICE = "voice", _("Voice recognition")
        EMOTION = "emotion", _("Emotion recognition")
        OTHER_BIOMETRIC = "other_biometric", _("Other biometric analysis")
        PLATE = "plate", _("Licence-plate reading")
        UNKNOWN = "unknown", _("Unknown")

    class Confidence(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        LIKELY = "likely", _("Likely")
        SUSPECTED = "suspected", _("Suspected")

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="capabilities"
    )
    kind = models.CharField(_("capability"), max_length=16, choices=Kind.choices)
    confidence = models.CharField(_("how sure we are"), max_length=16, choices=Confidence.choices)

    class Meta:
        ordering = ["deployment", "kind"]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "kind"], name="atlas_capability_once_per_deployment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_confidence_display()})"


class FoiRequest(models.Model):
    """A freedom-of-information request about a deployment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        PARTIAL = "partial", _("Partly answered")
        REFUSED = "refused", _("Refused")
        OVERDUE = "overdue", _("Overdue")

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="foi_requests"
    )
    authority = models.CharField(_("sent to"), max_length=200)
    sent_on = models.DateField(_("sent"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("what the answer says"), blank=True)

    class Meta:
        ordering = ["deployment", "sent_on"]
        verbose_name = _("freedom-of-information request")
        verbose_name_plural = _("freedom-of-information requests")

    def __str__(self) -> str:
        return f"{self.authority} ({self.sent_on})"


class Device(Verified):
    class Watches(models.TextChoices):
        STREET = "street", _("A street or crossing")
        SQUARE = "square", _("A square or park")
        TRANSPORT = "transport", _("A station or public transport")
        BUILDING = "building", _("A building's entrance")
        SCHOOL = "school", _("A school")
        SHOP = "shop", _("A shop or shopping centre")
        STADIUM = "stadium", _("A stadium or event")
        BORDER = "border", _("A border or airport")
        OTHER = "other", _("Something else")

    class Mount(models.TextChoices):
        POLE = "pole", _("Pole")
        WALL = "wall", _("Wall")
        CEILING = "ceiling", _("Ceiling")
        VEHICLE = "vehicle", _("Vehicle")
        UNKNOWN = "unknown", _("Unknown")

    class CameraType(models.TextChoices):
        # OpenStreetMap's camera:type values.
        FIXED = "fixed", _("Fixed")
        PANNING = "panning", _("Panning (turns)")
        DOME = "dome", _("Dome")
        UNKNOWN = "unknown", _("Unknown")

    deployment = models.ForeignKey(
        Deployment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("deployment"),
    )
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    city = models.CharField(_("city or area"), max_length=120, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    watches = models.CharField(
        _("what it watches"), max_length=16, choices=Watches.choices, default=Watches.STREET
    )
    mount = models.CharField(
        _("mount"), max_length=16, choices=Mount.choices, default=Mount.UNKNOWN
    )
    camera_type = models.CharField(
        _("camera type"), max_length=16, choices=CameraType.choices, default=CameraType.UNKNOWN
    )
    # Degrees clockwise from north, as OpenStreetMap's camera:direction.
    direction = models.PositiveSmallIntegerField(
        _("direction (degrees from north)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(359)],
    )
    model = models.CharField(_("model"), max_length=200, blank=True)
    first_seen = models.DateField(_("first seen"))
    last_seen = models.DateField(_("last seen"))
    # Set when a re-check found it gone: it stays on record, off the map.
    removed_on = models.DateField(_("gone since"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "votes_for", "votes_total"])

    class Meta:
        ordering = ["city", "place", "pk"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        indexes = [
            models.Index(fields=["published", "latitude", "longitude"]),
            models.Index(fields=["published", "last_seen"]),
            # The map's clusters (services/clusters.py) group the public devices of a box
            # by grid cell in SQL: with every column the query and its filters read in this
            # one index, SQLite and PostgreSQL answer from the index alone instead of
            # reading 100,000 rows of the table (bench/atlas.py; docs/benchmarks.md).
            models.Index(
                fields=[
                    "published",
                    "removed_on",
                    "latitude",
                    "longitude",
                    "verification",
                    "deployment",
                    "id",
                ],
                name="atlas_device_map",
            ),
        ]

    def __str__(self) -> str:
        where = self.place or self.city
        return f"{where} #{self.pk}" if where else f"#{self.pk}"


class Claim(models.TextChoices):
    """What a piece of evidence supports."""

    EXISTENCE = "existence", _("That it exists")
    OPERATOR = "operator", _("Operator")
    SYSTEM = "system", _("System and vendor")
    CAPABILITY = "capability", _("Capabilities")
    STATUS = "status", _("Status and dates")
    LEGAL_BASIS = "legal_basis", _("Legal basis")
    DPIA = "dpia", _("Impact assessment")
    LOCATION = "location", _("Location")
    MODEL = "model", _("Model")


class Evidence(models.Model):
    """A source for one claim about a deployment or a device: a file we keep, or a link
    with the date it was read."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        PHOTO = "photo", _("Photo")
        PROCUREMENT = "procurement", _("Procurement record")
        PRESS = "press", _("Press article")
        FOI_ANSWER = "foi_answer", _("Answer to an FOI request")
        OFFICIAL = "official", _("Official statement")

    # The kinds that can confirm a record "by an official source".
    OFFICIAL_KINDS = (Kind.FOI_ANSWER, Kind.OFFICIAL, Kind.PROCUREMENT)

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    foi_request = models.ForeignKey(
        FoiRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("FOI request"),
    )
    claim = models.CharField(_("claim"), max_length=16, choices=Claim.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    read_on = models.DateField(_("read on"), null=True, blank=True)
    # An uploaded file as we keep it: a photo re-encoded, or a PDF checked to be one.
    file = models.BinaryField(null=True, blank=True, editable=False)
    file_type = models.CharField(max_length=64, blank=True, editable=False)
    file_name = models.CharField(max_length=120, blank=True, editable=False)
    file_version = models.CharField(max_length=16, blank=True, editable=False)
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["claim", "added_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(deployment__isnull=False, device__isnull=True)
                | Q(deployment__isnull=True, device__isnull=False),
                name="atlas_evidence_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Report(models.Model):
    """What a visitor sent, anonymously, waiting for a reviewer."""

    class Kind(models.TextChoices):
        DEVICE = "device", _("A camera or other device")
        DEPLOYMENT = "deployment", _("A surveillance system or its use")
        RECHECK = "recheck", _("A re-check of a device on the map")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class Found(models.TextChoices):
        # A re-check's answer.
        STILL_THERE = "still_there", _("It is still there")
        GONE = "gone", _("It is gone")
        CHANGED = "changed", _("It has changed")

    kind = models.CharField(_("what is reported"), max_length=16, choices=Kind.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    # The device re-checked, or the record an accepted report made or added to.
    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    deployment = models.ForeignKey(
        Deployment, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    latitude = models.FloatField(null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(null=True, blank=True, validators=LONGITUDE)
    place = models.CharField(_("place"), max_length=300, blank=True)
    city = models.CharField(_("city or area"), max_length=120, blank=True)
    description = models.TextField(_("what you saw"), max_length=4000, blank=True)
    seen_on = models.DateField(_("seen on"))
    found = models.CharField(max_length=16, choices=Found.choices, blank=True)
    language = models.CharField(max_length=8)
    # The optional contact for follow-up: sealed at rest (mail.addresses.seal_at_rest),
    # used only once confirmed, deleted on ``contact_delete_after`` at the latest.
    contact = models.BinaryField(null=True, blank=True, editable=False)
    contact_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contact_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    contact_delete_after = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Photo(models.Model):
    """A photo of a device, or of a report until it is reviewed: re-encoded by us, with
    no metadata (never the uploaded bytes)."""

    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    content = models.BinaryField(editable=False)
    content_type = models.CharField(max_length=32, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    version = models.CharField(max_length=16, editable=False)
    alt = models.CharField(_("text alternative"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"photo #{self.pk}"


class Vote(models.Model):
    """One reviewer's own verdict on a record, given without seeing the others'."""

    class Verdict(models.TextChoices):
        CONFIRM = "confirm", _("It is there and the record is right")
        DISPUTE = "dispute", _("It is not there, or the record is wrong")

    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, null=True, blank=True, related_name="vote_set"
    )
    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, null=True, blank=True, related_name="vote_set"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="atlas_votes"
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deployment__isnull=False, device__isnull=True)
                | Q(deployment__isnull=True, device__isnull=False),
                name="atlas_vote_one_record",
            ),
            models.UniqueConstraint(
                fields=["device", "reviewer"],
                condition=Q(device__isnull=False),
                name="atlas_vote_once_per_device",
            ),
            models.UniqueConstraint(
                fields=["deployment", "reviewer"],
                condition=Q(deployment__isnull=False),
                name="atlas_vote_once_per_deployment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id}: {self.verdict}"
