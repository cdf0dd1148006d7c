"""Helpers of the review tests (test_review_*.py): reports as the reports part files them,
and the review pages' addresses."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from PIL import Image

from reclaim.atlas.models import Deployment, Device, Photo, Report
from reclaim.audit.models import AuditEntry


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def make_report(kind: str = Report.Kind.DEVICE, **fields: Any) -> Report:
    values: dict[str, Any] = {
        "kind": kind,
        "latitude": 44.8176,
        "longitude": 20.4569,
        "place": "Knez Mihailova 12",
        "city": "Belgrade",
        "description": "A dome camera on the corner, pointing at the square.",
        "seen_on": days_ago(3),
        "language": "en",
    }
    values.update(fields)
    return Report.objects.create(**values)


def add_photo(report: Report) -> Photo:
    """A photo as the reports part stores it: re-encoded JPEG bytes, no metadata."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 120, 120)).save(buffer, "JPEG")
    return Photo.objects.create(
        report=report,
        content=buffer.getvalue(),
        content_type="image/jpeg",
        width=64,
        height=48,
        version="abc123",
    )


def queue_url() -> str:
    return reverse("atlas:review")


def report_url(report: Report) -> str:
    return reverse("atlas:review_report", args=[report.pk])


def kind(record: Deployment | Device) -> str:
    return "device" if isinstance(record, Device) else "deployment"


def record_url(record: Deployment | Device, action: str = "") -> str:
    if action:
        return reverse(f"atlas:review_{action}", args=[kind(record), record.pk])
    return reverse("atlas:review_record", args=[kind(record), record.pk])


def public_url(record: Deployment | Device) -> str:
    if isinstance(record, Device):
        return reverse("atlas:device", args=[record.pk])
    return reverse("atlas:deployment", args=[record.slug])


def audited(action: str, target: str = "") -> list[AuditEntry]:
    rows = AuditEntry.objects.filter(action=action)
    if target:
        rows = rows.filter(target=target)
    return list(rows)
