"""Anonymous reports waiting in the atlas's review queue in `reclaim demo`: a new camera
with a photo, a deployment, and two re-checks of devices nobody had seen for a year.

The photo is a plain drawing made here with Pillow (no real photo), put through the same
re-encoding as an upload (``reclaim.lib.images.reencode``), so that it is stored and served
as a visitor's would be. A report is recognised on a second run by its text: none is added
twice.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from PIL import Image, ImageDraw

from reclaim.atlas.demo_facts import BELGRADE
from reclaim.atlas.models import Device, Photo, Report
from reclaim.demo.steps import DemoContext
from reclaim.demo.steps import Report as StepReport
from reclaim.lib.images import reencode

PHOTO_ALT = "A drawing of a dome camera on a grey pole against a blue sky (demo image)"


@dataclass(frozen=True)
class Pending:
    kind: str
    description: str
    days_ago: int
    place: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    found: str = ""
    photo: bool = False
    # For a re-check: which stale Belgrade device (the n-th longest unseen).
    stale_device: int | None = None


PENDING = (
    Pending(
        Report.Kind.DEVICE,
        "Two round cameras on a new pole by the roundabout, one turned towards the tram "
        "stop. They were not there in the spring.",
        days_ago=2,
        place="Slavija Square, north-east corner",
        city="Belgrade",
        latitude=44.80290,
        longitude=20.46745,
        photo=True,
    ),
    Pending(
        Report.Kind.DEPLOYMENT,
        "A sign at my local supermarket's door says that faces are compared with a list "
        "of people banned from the shop. I could not find who supplies the system.",
        days_ago=5,
        city="",
    ),
    Pending(
        Report.Kind.RECHECK,
        "Walked past this morning: the camera is still on its pole and its light is on.",
        days_ago=1,
        found=Report.Found.STILL_THERE,
        stale_device=0,
    ),
    Pending(
        Report.Kind.RECHECK,
        "The pole is still there but the camera has been taken off; only the bracket is left.",
        days_ago=3,
        found=Report.Found.GONE,
        stale_device=1,
    ),
)


def reports(context: DemoContext) -> StepReport:
    report = StepReport("Atlas review queue")
    today = context.now.date()
    stale = list(
        Device.objects.filter(
            deployment__slug=BELGRADE.slug, published=True, removed_on__isnull=True
        ).order_by("last_seen", "pk")[:2]
    )
    added = 0
    with transaction.atomic():
        for pending in PENDING:
            if Report.objects.filter(description=pending.description).exists():
                continue
            device = None
            if pending.stale_device is not None:
                if pending.stale_device >= len(stale):
                    report.warnings.append("No Belgrade device to re-check: re-check skipped.")
                    continue
                device = stale[pending.stale_device]
            made = Report.objects.create(
                kind=pending.kind,
                device=device,
                latitude=pending.latitude if device is None else device.latitude,
                longitude=pending.longitude if device is None else device.longitude,
                place=pending.place or (device.place if device else ""),
                city=pending.city or (device.city if device else ""),
                description=pending.description,
                seen_on=today - timedelta(days=pending.days_ago),
                found=pending.found,
                language="en",
                created_at=context.now - timedelta(days=pending.days_ago),
            )
            if pending.photo:
                _photo(made, context)
            added += 1
    waiting = Report.objects.filter(state=Report.State.PENDING).count()
    report.add(f"{added} reports added now; {waiting} waiting for review.")
    return report


def drawing() -> bytes:
    """A plain PNG drawing of a dome camera on a pole (nothing from a real camera)."""
    image = Image.new("RGB", (960, 720), (150, 190, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 960, 720), fill=(120, 120, 115))  # pavement
    draw.rectangle((455, 150, 505, 600), fill=(95, 100, 105))  # pole
    draw.rectangle((505, 215, 640, 235), fill=(95, 100, 105))  # arm
    draw.rectangle((590, 235, 690, 260), fill=(235, 235, 230))  # housing
    draw.pieslice((590, 200, 690, 320), 0, 180, fill=(40, 45, 55))  # dome
    draw.ellipse((628, 262, 652, 286), fill=(15, 15, 20))  # lens
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _photo(report: Report, context: DemoContext) -> None:
    upload = io.BytesIO(drawing())
    upload.name = "camera.png"  # type: ignore[attr-defined]
    processed = reencode(
        upload,
        max_bytes=5 * 1024 * 1024,
        max_pixels=40_000_000,
        max_side=1600,
        output="auto",
    )
    Photo.objects.create(
        report=report,
        content=processed.content,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        version=hashlib.sha256(processed.content).hexdigest()[:12],
        alt=PHOTO_ALT,
        created_at=context.now,
    )
