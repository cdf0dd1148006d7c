"""Images staff upload for articles: re-encoded by ``reclaim.lib.images`` (never the
uploaded bytes: no EXIF, no GPS position, no camera serial), kept in the database and
served from our origin under an address that carries their version, so that it can be
cached for a year."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from reclaim.audit.services import record
from reclaim.lib.images import Processed, reencode
from reclaim.news.models import Image

# Limits, overridable in settings.RECLAIM. An article's image is shown at most about
# 800 CSS px wide, twice that for sharp screens; 10 MB takes a camera's photo as it comes.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_MAX_SIDE = 1600


def _limit(name: str, default: int) -> int:
    return int(settings.RECLAIM.get(name, default))


def max_bytes() -> int:
    return _limit("NEWS_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)


def process_image(uploaded_file: Any) -> Processed:
    """The upload re-encoded (JPEG, or PNG when it has transparency); ``ValidationError``
    with a translated message for anything else."""
    return reencode(
        uploaded_file,
        max_bytes=max_bytes(),
        max_pixels=_limit("NEWS_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS),
        max_side=_limit("NEWS_IMAGE_MAX_SIDE", DEFAULT_MAX_SIDE),
        output="auto",
    )


def extension(image: Image) -> str:
    return "jpg" if image.content_type == "image/jpeg" else "png"


def image_url(image: Image) -> str:
    """The image's address on our origin (in the current language's prefix: any serves)."""
    return reverse("news:image", args=[image.pk, image.version, extension(image)])


def markdown_snippet(image: Image) -> str:
    """What staff paste into an article's text to show the image."""
    alt = image.alt.replace("[", "(").replace("]", ")").replace("\n", " ")
    return f"![{alt}]({image_url(image)})"


def store_image(processed: Processed, alt: str, actor: Any, image: Image | None = None) -> Image:
    """Keep an image already re-encoded by ``process_image`` (a new one, or new pixels for
    ``image``: a new version, so a new address)."""
    with transaction.atomic():
        image = image or Image()
        created = image.pk is None
        image.data = processed.content
        image.content_type = processed.content_type
        image.width = processed.width
        image.height = processed.height
        image.version = hashlib.sha256(processed.content).hexdigest()[:12]
        image.alt = alt
        if created and actor is not None and getattr(actor, "pk", None):
            image.uploaded_by = actor
        image.save()
        record(
            actor,
            "news.image_upload",
            target=f"image {image.pk}",
            version=image.version,
            replaced=not created,
        )
    return image


def change_alt(image: Image, alt: str, actor: Any) -> Image:
    with transaction.atomic():
        image.alt = alt
        image.save(update_fields=["alt"])
        record(actor, "news.image_change", target=f"image {image.pk}")
    return image


def delete_image(image: Image, actor: Any) -> None:
    with transaction.atomic():
        target = f"image {image.pk}"
        image.delete()
        record(actor, "news.image_delete", target=target)
