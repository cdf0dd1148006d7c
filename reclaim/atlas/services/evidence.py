"""Evidence for the claims about a deployment or a device: a link with the day it was read,
or a file we keep.

Files are kept in the database and served from our origin, never as they came:

- **Images** are decoded and drawn again by ``reclaim.lib.images`` (no EXIF, no GPS
  position, no camera serial), as JPEG, or PNG when they have transparency.
- **PDFs** are kept as they are (re-rendering a document would change what it proves), so
  they are checked to *be* PDFs (they start with ``%PDF-``), limited in size, and served
  as a download (``Content-Disposition: attachment``) with ``nosniff`` and a sandboxing
  Content-Security-Policy: a PDF with script in it never runs on our origin.
- Anything else is refused with a message that says what is accepted.

Device photos entered by staff go through the same image path (``store_photo``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.atlas.models import Claim, Deployment, Device, Evidence, FoiRequest, Photo
from reclaim.atlas.services.records import audited_delete, audited_save
from reclaim.lib.images import Processed, reencode

PDF = "application/pdf"
PDF_MAGIC = b"%PDF-"
# Limits, overridable in settings.RECLAIM. A scanned answer to an FOI request with its
# annexes runs to a few megabytes: RECLAIM["ATLAS_EVIDENCE_MAX_BYTES"] (20 MB by default)
# leaves room without letting the database balloon.
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_MAX_SIDE = 2000

NOT_ACCEPTED = _(
    "This file is neither a PDF nor an image we can read. Upload a PDF, or a PNG, JPEG, GIF "
    "or WebP image."
)
LINK_OR_FILE = _("Give a link with the day you read it, or upload a file.")
NEEDS_READ_ON = _("Say on which day you read the page this link points to.")
READ_ON_FUTURE = _("The day you read the page cannot be in the future.")
BAD_LINK = _("Enter a full web address, starting with https:// or http://.")

_url_validator = URLValidator(schemes=["http", "https"])


def _limit(name: str, default: int) -> int:
    return int(settings.RECLAIM.get(name, default))


def max_bytes() -> int:
    return int(settings.RECLAIM["ATLAS_EVIDENCE_MAX_BYTES"])


@dataclass(frozen=True)
class StoredFile:
    """An uploaded file as we keep it."""

    content: bytes
    content_type: str
    name: str

    @property
    def version(self) -> str:
        return hashlib.sha256(self.content).hexdigest()[:12]


def _safe_name(name: str, extension: str) -> str:
    """A file name for the download: the uploaded stem in plain characters, our extension."""
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "evidence"
    return f"{stem}.{extension}"


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)s MB. Upload a smaller file.")
        % {"size": round(max_bytes() / (1024 * 1024), 1)},
        code="too_large",
    )


def process_image(uploaded_file: Any, limit: int) -> Processed:
    return reencode(
        uploaded_file,
        max_bytes=limit,
        max_pixels=_limit("ATLAS_EVIDENCE_MAX_PIXELS", DEFAULT_MAX_PIXELS),
        max_side=_limit("ATLAS_EVIDENCE_MAX_SIDE", DEFAULT_MAX_SIDE),
        output="auto",
    )


def process_upload(uploaded_file: Any) -> StoredFile:
    """The file as we keep it: a PDF checked to be one, or an image re-encoded.
    ``ValidationError`` with a translated message for anything else."""
    limit = max_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_large()
    name = str(getattr(uploaded_file, "name", "") or "")
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    head = bytes(uploaded_file.read(len(PDF_MAGIC)))
    if head.startswith(PDF_MAGIC):
        data = head + bytes(uploaded_file.read(limit + 1 - len(head)))
        if len(data) > limit:
            raise _too_large()
        return StoredFile(data, PDF, _safe_name(name, "pdf"))
    if not head:
        raise ValidationError(_("The file is empty."), code="empty")
    try:
        image = process_image(uploaded_file, limit)
    except ValidationError as error:
        if error.code == "not_an_image":
            raise ValidationError(NOT_ACCEPTED, code="not_accepted") from error
        raise
    return StoredFile(image.content, image.content_type, _safe_name(name, image.extension))


def check_link(url: str, read_on: date | None) -> None:
    """Refuse a link without a day read, or that is not a web address."""
    errors: dict[str, Any] = {}
    try:
        _url_validator(url)
    except ValidationError:
        errors["url"] = ValidationError(BAD_LINK, code="bad_link")
    if read_on is None:
        errors["read_on"] = ValidationError(NEEDS_READ_ON, code="read_on")
    elif read_on > timezone.localdate():
        errors["read_on"] = ValidationError(READ_ON_FUTURE, code="read_on_future")
    if errors:
        raise ValidationError(errors)


def _attach(evidence: Evidence, record: Deployment | Device) -> None:
    if isinstance(record, Deployment):
        evidence.deployment = record
        evidence.device = None
    else:
        evidence.device = record
        evidence.deployment = None


def _keep(evidence: Evidence, stored: StoredFile) -> None:
    evidence.file = stored.content
    evidence.file_type = stored.content_type
    evidence.file_name = stored.name
    evidence.file_version = stored.version


def save_evidence(evidence: Evidence, user: Any, stored: StoredFile | None = None) -> Evidence:
    """Save evidence entered or changed by staff (the admin's inline), with ``stored`` as its
    new file if one was uploaded. A piece of evidence is a file, or a link with its day."""
    if stored is not None:
        _keep(evidence, stored)
    if evidence.url:
        check_link(evidence.url, evidence.read_on)
    elif not evidence.file:
        raise ValidationError(LINK_OR_FILE, code="link_or_file")
    created = evidence.pk is None
    return audited_save(
        evidence,
        user,
        "atlas.evidence_add" if created else "atlas.evidence_change",
        record=_record_target(evidence),
        claim=evidence.claim,
        evidence_kind=evidence.kind,
        link=evidence.url,
        file=evidence.file_name,
    )  # type: ignore[return-value]


def add_link(
    record: Deployment | Device,
    *,
    claim: str,
    kind: str,
    title: str,
    url: str,
    read_on: date | None,
    user: Any,
    foi_request: FoiRequest | None = None,
) -> Evidence:
    """Evidence for ``claim`` on ``record``: a link, read on ``read_on``."""
    evidence = Evidence(
        claim=claim, kind=kind, title=title, url=url, read_on=read_on, foi_request=foi_request
    )
    _attach(evidence, record)
    return save_evidence(evidence, user)


def add_file(
    record: Deployment | Device,
    *,
    claim: str,
    kind: str,
    title: str,
    uploaded_file: Any,
    user: Any,
    foi_request: FoiRequest | None = None,
) -> Evidence:
    """Evidence for ``claim`` on ``record``: an uploaded file (a PDF or an image), refused
    with ``ValidationError`` if it is neither."""
    stored = process_upload(uploaded_file)
    evidence = Evidence(claim=claim, kind=kind, title=title, foi_request=foi_request)
    _attach(evidence, record)
    with transaction.atomic():
        return save_evidence(evidence, user, stored)


def remove_evidence(evidence: Evidence, user: Any) -> None:
    audited_delete(
        evidence,
        user,
        "atlas.evidence_remove",
        record=_record_target(evidence),
        claim=evidence.claim,
        title=evidence.title,
    )


def _record_target(evidence: Evidence) -> str:
    if evidence.deployment_id:
        return f"deployment {evidence.deployment_id}"
    return f"device {evidence.device_id}"


def evidence_file_url(evidence: Evidence) -> str:
    return reverse("atlas:evidence_file", args=[evidence.pk, evidence.file_version])


def by_claim(record: Deployment | Device) -> dict[str, list[Evidence]]:
    """The record's evidence per claim (every claim present, empty when it has none)."""
    found: dict[str, list[Evidence]] = {claim.value: [] for claim in Claim}
    for evidence in record.evidence.order_by("claim", "added_at", "pk").defer("file"):
        found.setdefault(evidence.claim, []).append(evidence)
    return found


# --- Device photos entered by staff ---------------------------------------------------


def process_photo(uploaded_file: Any) -> Processed:
    """A device photo staff upload, re-encoded without metadata."""
    return process_image(uploaded_file, max_bytes())


def store_photo(photo: Photo, user: Any, processed: Processed | None = None) -> Photo:
    """Save a device photo (new pixels if ``processed``, else its text alternative)."""
    if processed is not None:
        photo.content = processed.content
        photo.content_type = processed.content_type
        photo.width = processed.width
        photo.height = processed.height
        photo.version = hashlib.sha256(processed.content).hexdigest()[:12]
    created = photo.pk is None
    return audited_save(
        photo,
        user,
        "atlas.photo_add" if created else "atlas.photo_change",
        device=photo.device_id,
    )  # type: ignore[return-value]


def remove_photo(photo: Photo, user: Any) -> None:
    audited_delete(photo, user, "atlas.photo_remove", device=photo.device_id)
