"""Who may see which atlas record, photo and file. Each condition on its own line.

The public sees published records only; staff who write records (organisers) or review
them (reviewers) may preview one before it is published or after it was withdrawn.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from reclaim.atlas.models import Deployment, Device, Evidence, Photo

# Any of these lets a staff member see unpublished records.
PREVIEW_PERMISSIONS = ("atlas.change_deployment", "atlas.change_device", "atlas.review_atlas")


def may_preview(user: Any) -> bool:
    """Whether the user may see atlas records that are not public."""
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if not user.is_staff:
        return False
    return any(user.has_perm(permission) for permission in PREVIEW_PERMISSIONS)


def get_readable_deployment(user: Any, slug: str) -> Deployment:
    deployment = Deployment.objects.filter(slug=slug).first()
    if deployment is None:
        raise Http404
    if deployment.published:
        return deployment
    if may_preview(user):
        return deployment
    raise Http404


def get_readable_device(user: Any, pk: int) -> Device:
    """A published device (one found gone too: its page says so), or any to preview."""
    device = Device.objects.filter(pk=pk).select_related("deployment").first()
    if device is None:
        raise Http404
    if device.published:
        return device
    if may_preview(user):
        return device
    raise Http404


def is_public_photo(photo: Photo) -> bool:
    """A photo of a published device. A report's photo is not, until a reviewer accepted
    the report and the photo became the device's."""
    if photo.device is None:
        return False
    return bool(photo.device.published)


def get_readable_photo(user: Any, pk: int) -> tuple[Photo, bool]:
    """The photo and whether it is public (else a preview for staff, never cached)."""
    photo = Photo.objects.filter(pk=pk).select_related("device").first()
    if photo is None:
        raise Http404
    if photo.device is None:
        # A report's photo before review: shown in the review queue, never here.
        raise Http404
    if is_public_photo(photo):
        return photo, True
    if may_preview(user):
        return photo, False
    raise Http404


def is_public_evidence(evidence: Evidence) -> bool:
    record = evidence.deployment or evidence.device
    if record is None:
        return False
    return bool(record.published)


def get_readable_evidence_file(user: Any, pk: int) -> tuple[Evidence, bool]:
    """A piece of evidence that has a file, and whether it is public."""
    evidence = Evidence.objects.filter(pk=pk).select_related("deployment", "device").first()
    if evidence is None:
        raise Http404
    if not evidence.file_version:
        raise Http404
    if is_public_evidence(evidence):
        return evidence, True
    if may_preview(user):
        return evidence, False
    raise Http404
