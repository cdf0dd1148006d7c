"""Who may see what of a report: its form is for anyone, its photos for reviewers only.
Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from reclaim.atlas.models import Device, Photo
from reclaim.atlas.services.public import public_devices

REVIEW_PERMISSION = "atlas.review_atlas"
# A primary key longer than this is no device of ours.
MAX_PK_DIGITS = 12


def get_device_to_recheck(raw: str) -> Device:
    """The public device a re-check is about (``?device=<pk>``); 404 for anything else."""
    if not raw.isdigit():
        raise Http404
    if len(raw) > MAX_PK_DIGITS:
        raise Http404
    device = public_devices().filter(pk=int(raw)).first()
    if device is None:
        raise Http404
    return device


def may_review(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if not user.is_staff:
        return False
    return bool(user.has_perm(REVIEW_PERMISSION))


def get_report_photo_for_reviewer(user: Any, pk: int) -> Photo:
    """A photo that came with a report and is still the report's (not yet a device's), for
    a reviewer. Others get 403; a photo that is no report's, 404."""
    if not may_review(user):
        raise PermissionDenied
    photo = Photo.objects.filter(pk=pk, report__isnull=False, device__isnull=True).first()
    if photo is None:
        raise Http404
    return photo
