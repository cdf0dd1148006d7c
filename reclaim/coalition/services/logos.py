"""Logos of member organisations: what anyone uploads is decoded and drawn again by us.

An uploaded file is never stored or served as it came. It is opened with Pillow limited to
a few raster formats, checked for size (bytes and pixels, before it is decoded: a small PNG
can claim a huge canvas), turned upright by its EXIF orientation, shrunk and re-encoded as a
PNG without any of the original's metadata (EXIF, GPS, comments, ICC profile). SVG is
refused: it can carry script, and a sanitiser would be one more thing to keep up to date for
a logo that a PNG shows just as well.

Used by the admin (``reclaim.coalition.admin_directory``) and by partners' profile edits;
the work itself is ``reclaim.lib.images``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reclaim.lib.images import ACCEPTED_FORMATS, EMPTY, NOT_AN_IMAGE, reencode

__all__ = ["ACCEPTED_FORMATS", "EMPTY", "NOT_AN_IMAGE", "max_bytes", "process_logo"]

# Limits, overridable in settings.RECLAIM: a logo needs neither megabytes nor a poster's
# canvas. 2 MB takes any sensible photo of a logo; the pixel bound stops decompression bombs
# long before Pillow's own (89 megapixels) would.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_PIXELS = 25_000_000
# The longest side of the stored logo: the pages show it at most 160 CSS px wide, twice
# that for sharp screens.
DEFAULT_MAX_SIDE = 400
CONTENT_TYPE = "image/png"

SVG_REFUSED = _(
    "SVG logos are not accepted, because they can contain scripts. Upload a PNG, JPEG, GIF "
    "or WebP file."
)


def _limit(name: str, default: int) -> int:
    return int(settings.RECLAIM.get(name, default))


def max_bytes() -> int:
    return _limit("LOGO_MAX_BYTES", DEFAULT_MAX_BYTES)


def process_logo(uploaded_file: Any) -> tuple[bytes, str]:
    """The logo as we serve it (PNG bytes, content type), from an uploaded file (Django's
    ``UploadedFile`` or any binary file object). Raises ``ValidationError`` with a
    translated message for anything that is not a raster image within the limits. The
    decoding and re-encoding is ``reclaim.lib.images.reencode``, shared with the news."""
    processed = reencode(
        uploaded_file,
        max_bytes=max_bytes(),
        max_pixels=_limit("LOGO_MAX_PIXELS", DEFAULT_MAX_PIXELS),
        max_side=_limit("LOGO_MAX_SIDE", DEFAULT_MAX_SIDE),
        output="png",
        svg_refused=SVG_REFUSED,
    )
    return processed.content, processed.content_type
