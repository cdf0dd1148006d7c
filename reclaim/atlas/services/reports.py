"""Anonymous reports to the atlas: every write of the reports part goes through here.

Anyone may report a device, a deployment, or whether a device on the map is still there (a
re-check), with no account and no address. Nothing of a report is public: it waits in the
review queue (``services/verification.py`` accepts or rejects it).

Photos are decoded and drawn again by ``reclaim.lib.images.reencode`` before anything is
stored: no EXIF (GPS position, camera serial, maker notes), no XMP, no ICC profile, no
comment survives, and the uploaded bytes are never written anywhere (the view keeps uploads
in memory, ``views/reports.py``).

The optional contact address for follow-up is double opt-in (a mail whose link opens a page
whose button confirms), sealed at rest (``reclaim.mail.addresses.seal_at_rest``) with a keyed
hash for data-subject requests, and erased on ``contact_delete_after`` (``ATLAS_CONTACT_DAYS``
after the report, the date shown on the form), or after ``CONFIRMATION_DAYS`` when it was
never confirmed. A decided report (its text, place and remaining photos) is deleted
``ATLAS_REPORT_RETENTION_DAYS`` after the decision: what a reviewer accepted lives on in the
record it made, and the photos moved to that device belong to it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from reclaim.atlas.models import Device, Photo, Report
from reclaim.audit.services import record
from reclaim.lib.emailhash import email_hash
from reclaim.lib.images import reencode
from reclaim.mail.addresses import open_at_rest, seal_at_rest
from reclaim.mail.services import queue_mail

Kind = Report.Kind
State = Report.State

CONTACT_CONFIRM_MAIL = "atlas.report_contact_confirm"
# The opt-in link is signed, not stored (no column of its own): it names the report and a
# digest of the sealed address it was made for, so erasing the address kills the link.
CONTACT_SALT = "reclaim.atlas.report-contact"

# Photos: at most three per report, each as a phone takes it (RECLAIM["ATLAS_PHOTO_MAX_BYTES"],
# 10 MB by default), kept at most 1600 px on the long side (a reviewer's screen, twice for
# sharp ones). The pixel and side limits are overridable in settings.RECLAIM.
MAX_PHOTOS = 3
DEFAULT_PHOTO_MAX_PIXELS = 50_000_000
DEFAULT_PHOTO_MAX_SIDE = 1600


def _limit(name: str, default: int) -> int:
    return int(settings.RECLAIM.get(name, default))


def photo_max_bytes() -> int:
    return int(settings.RECLAIM["ATLAS_PHOTO_MAX_BYTES"])


def max_request_bytes() -> int:
    """The largest report post we read: its photos and the form's text around them."""
    return MAX_PHOTOS * photo_max_bytes() + int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


@dataclass(frozen=True)
class ReportData:
    """What the form gives, checked."""

    kind: str
    seen_on: date
    description: str = ""
    latitude: float | None = None
    longitude: float | None = None
    place: str = ""
    city: str = ""
    found: str = ""
    device: Device | None = None
    contact: str = ""


# --- Deadlines -----------------------------------------------------------------------


def contact_days() -> int:
    return int(settings.RECLAIM["ATLAS_CONTACT_DAYS"])


def contact_deletion_date(today: date | None = None) -> date:
    """When a contact address left today is erased (shown on the form before sending)."""
    return (today or timezone.localdate()) + timedelta(days=contact_days())


def confirmation_window() -> timedelta:
    # One rule for "how long a confirmation link works", as signatures and comments.
    return timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])


def retention_period() -> timedelta:
    return timedelta(days=settings.RECLAIM["ATLAS_REPORT_RETENTION_DAYS"])


def latest_date_seen(now: datetime | None = None) -> date:
    """The latest day a visitor may say they saw something: today somewhere on Earth (the
    date line's east side is 14 hours ahead of UTC), so that nobody's today is refused."""
    moment = timezone.now() if now is None else now
    return (moment.astimezone(UTC) + timedelta(hours=14)).date()


# --- Photos --------------------------------------------------------------------------


def process_photo(uploaded_file: Any) -> Photo:
    """The upload decoded, stripped of every metadata field, resized and re-encoded (JPEG,
    or PNG when it has transparency), as an unsaved ``Photo``. ``ValidationError`` with a
    translated message for anything that is not an image within the limits."""
    processed = reencode(
        uploaded_file,
        max_bytes=photo_max_bytes(),
        max_pixels=_limit("ATLAS_PHOTO_MAX_PIXELS", DEFAULT_PHOTO_MAX_PIXELS),
        max_side=_limit("ATLAS_PHOTO_MAX_SIDE", DEFAULT_PHOTO_MAX_SIDE),
        output="auto",
    )
    return Photo(
        content=processed.content,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        version=hashlib.sha256(processed.content).hexdigest()[:12],
    )


# --- Filing --------------------------------------------------------------------------


def file_report(data: ReportData, photos: list[Photo], language: str) -> Report:
    """Store a visitor's report and its (already re-encoded) photos, waiting for review, in
    one transaction. A contact address is sealed and gets the opt-in mail."""
    if data.kind not in Kind.values:
        raise ValueError(data.kind)
    if data.kind == Kind.RECHECK and data.device is None:
        raise ValueError("a re-check needs its device")
    if len(photos) > MAX_PHOTOS:
        raise ValueError("too many photos")
    with transaction.atomic():
        report = Report(
            kind=data.kind,
            state=State.PENDING,
            device=data.device if data.kind == Kind.RECHECK else None,
            latitude=data.latitude,
            longitude=data.longitude,
            place=data.place,
            city=data.city,
            description=data.description,
            seen_on=data.seen_on,
            found=data.found if data.kind == Kind.RECHECK else "",
            language=language,
        )
        if data.contact:
            report.contact = seal_at_rest(data.contact)
            report.contact_hash = email_hash(data.contact)
            report.contact_delete_after = contact_deletion_date()
        report.full_clean()
        report.save()
        for photo in photos:
            photo.report = report
            photo.device = None
            photo.save()
        if data.contact:
            queue_mail(CONTACT_CONFIRM_MAIL, data.contact, language, report.pk)
        record(
            "visitor",
            "atlas.report_file",
            f"report:{report.pk}",
            kind=report.kind,
            photos=len(photos),
            contact=bool(data.contact),
        )
    return report


# --- The contact address -------------------------------------------------------------


def has_contact(report: Report) -> bool:
    return bool(report.contact)


def _contact_digest(report: Report) -> str:
    return hashlib.sha256(bytes(report.contact or b"")).hexdigest()[:16]


def contact_token(report: Report) -> str:
    """The secret of the opt-in link, made when its mail is sent."""
    return signing.dumps([report.pk, _contact_digest(report)], salt=CONTACT_SALT)


def find_by_contact_token(token: str) -> Report | None:
    """The report the link was made for, while it still has that address."""
    if not 0 < len(token) <= 200:
        return None
    try:
        value = signing.loads(token, salt=CONTACT_SALT, max_age=confirmation_window())
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    report = Report.objects.filter(pk=value[0]).exclude(contact=None).first()
    if report is None or value[1] != _contact_digest(report):
        return None
    return report


def can_confirm_contact(report: Report) -> bool:
    return (
        has_contact(report)
        and report.contact_confirmed_at is None
        and timezone.now() < report.created_at + confirmation_window()
    )


def confirm_contact(report: Report) -> bool:
    """Confirm the address by POST from the mailed link. Idempotent; an expired link
    confirms nothing (returns False)."""
    if report.contact_confirmed_at is not None:
        return True
    if not can_confirm_contact(report):
        return False
    with transaction.atomic():
        updated = Report.objects.filter(pk=report.pk, contact_confirmed_at__isnull=True).update(
            contact_confirmed_at=timezone.now()
        )
        if updated:
            record("visitor", "atlas.report_contact_confirm", f"report:{report.pk}")
    report.refresh_from_db()
    return report.contact_confirmed_at is not None


def contact_address(report: Report) -> str | None:
    """The confirmed address, for a reviewer's follow-up; None when there is none (never
    confirmed, erased, or its key is gone)."""
    if not has_contact(report) or report.contact_confirmed_at is None:
        return None
    try:
        return open_at_rest(report.contact or b"")
    except ValueError:
        return None


def _contact_cleared() -> dict[str, Any]:
    return {
        "contact": None,
        "contact_hash": "",
        "contact_confirmed_at": None,
        "contact_delete_after": None,
    }


# --- Retention -----------------------------------------------------------------------


def expired_contacts(today: date | None = None) -> QuerySet[Report]:
    """Reports whose contact address is due: on or past its deletion date, or never
    confirmed within the confirmation window."""
    today = today or timezone.localdate()
    return Report.objects.exclude(contact=None).filter(
        Q(contact_delete_after__lte=today)
        | Q(contact_delete_after__isnull=True)
        | Q(
            contact_confirmed_at__isnull=True,
            created_at__lt=timezone.now() - confirmation_window(),
        )
    )


def purge_contacts() -> int:
    with transaction.atomic():
        due = list(expired_contacts().values_list("pk", flat=True))
        count = Report.objects.filter(pk__in=due).update(**_contact_cleared())
        if count:
            record("system", "atlas.report_contact_purge", count=count)
    return count


def expired_reports() -> QuerySet[Report]:
    """Decided reports past their retention period."""
    cutoff = timezone.now() - retention_period()
    return Report.objects.filter(state__in=[State.ACCEPTED, State.REJECTED], decided_at__lt=cutoff)


def _delete_reports(ids: list[int]) -> int:
    # Photos still hanging on a report go with it; those an accepted report moved to its
    # device no longer point at the report (verification._move_photos) and stay.
    Photo.objects.filter(report_id__in=ids, device__isnull=True).delete()
    Photo.objects.filter(report_id__in=ids).update(report=None)
    Report.objects.filter(pk__in=ids).delete()
    return len(ids)


def purge_reports() -> int:
    with transaction.atomic():
        due = list(expired_reports().values_list("pk", flat=True))
        count = _delete_reports(due) if due else 0
        if count:
            record("system", "atlas.report_purge", count=count)
    return count


# --- Data-subject requests -----------------------------------------------------------


def found_for(address_hash: str) -> QuerySet[Report]:
    if not address_hash:
        return Report.objects.none()
    return (
        Report.objects.filter(contact_hash=address_hash)
        .exclude(contact=None)
        .order_by("created_at", "pk")
    )


def erase_for_request(ids: list[int]) -> int:
    """A data-subject request's erasure: the reports left with the address are deleted,
    with their photos; what a reviewer accepted from them stays in the atlas's records,
    with no link to the person. Returns how many reports went."""
    with transaction.atomic():
        present = list(Report.objects.filter(pk__in=ids).values_list("pk", flat=True))
        count = _delete_reports(present) if present else 0
        record("system", "atlas.report_erase", count=count)
    return count
