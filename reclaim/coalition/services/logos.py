"""Logos of member organisations: what anyone uploads is decoded and drawn again by us.

An uploaded file is never stored or served as it came. It is opened with Pillow limited to
a few raster formats, checked for size (bytes and pixels, before it is decoded: a small PNG
can claim a huge canvas), turned upright by its EXIF orientation, shrunk and re-encoded as a
PNG without any of the original's metadata (EXIF, GPS, comments, ICC profile). SVG is
refused: it can carry script, and a sanitiser would be one more thing to keep up to date for
a logo that a PNG shows just as well.

Used by the admin (``reclaim.coalition.admin_directory``) and by partners' profile edits.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Limits, overridable in settings.RECLAIM: a logo needs neither megabytes nor a poster's
# canvas. 2 MB takes any sensible photo of a logo; the pixel bound stops decompression bombs
# long before Pillow's own (89 megapixels) would.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_PIXELS = 25_000_000
# The longest side of the stored logo: the pages show it at most 160 CSS px wide, twice
# that for sharp screens.
DEFAULT_MAX_SIDE = 400
# The decoders we let Pillow use; anything else is "not an image we take".
ACCEPTED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
CONTENT_TYPE = "image/png"

NOT_AN_IMAGE = _("This file is not an image we can read. Upload a PNG, JPEG, GIF or WebP file.")
SVG_REFUSED = _(
    "SVG logos are not accepted, because they can contain scripts. Upload a PNG, JPEG, GIF "
    "or WebP file."
)
EMPTY = _("The file is empty.")


def _limit(name: str, default: int) -> int:
    return int(settings.RECLAIM.get(name, default))


def max_bytes() -> int:
    return _limit("LOGO_MAX_BYTES", DEFAULT_MAX_BYTES)


def _looks_like_svg(head: bytes, name: str) -> bool:
    if name.lower().endswith((".svg", ".svgz")):
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<?xml") or text.startswith(b"<svg") or b"<svg" in text[:1024]


def _read(uploaded_file: Any) -> bytes:
    """The file's bytes, reading at most one byte past the limit (never a 30 MB file whole)."""
    limit = max_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return bytes(data)


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)s MB. Upload a smaller image.")
        % {"size": round(limit / (1024 * 1024), 1)},
        code="too_large",
    )


def process_logo(uploaded_file: Any) -> tuple[bytes, str]:
    """The logo as we serve it (PNG bytes, content type), from an uploaded file (Django's
    ``UploadedFile`` or any binary file object). Raises ``ValidationError`` with a
    translated message for anything that is not a raster image within the limits."""
    data = _read(uploaded_file)
    if not data:
        raise ValidationError(EMPTY, code="empty")
    if _looks_like_svg(data[:2048], str(getattr(uploaded_file, "name", "") or "")):
        raise ValidationError(SVG_REFUSED, code="svg")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its bound and twice it; we refuse earlier anyway.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = opened.size
            if (
                width <= 0
                or height <= 0
                or width * height > _limit("LOGO_MAX_PIXELS", DEFAULT_MAX_PIXELS)
            ):
                raise ValidationError(
                    _("The image is too large (%(width)s × %(height)s pixels).")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            # The first frame of an animation; then upright, as a camera's EXIF says.
            opened.seek(0)
            opened.load()
            image = _drawable(ImageOps.exif_transpose(opened))
            side = _limit("LOGO_MAX_SIDE", DEFAULT_MAX_SIDE)
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # A new image of plain pixels: nothing of the original's info (EXIF, XMP, text
            # chunks, ICC profile) is passed to the encoder.
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            clean.save(out, format="PNG", optimize=True)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    return out.getvalue(), CONTENT_TYPE


def _drawable(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the logo has transparency: the modes a PNG keeps as they are."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    return image.convert("RGBA" if has_alpha else "RGB")
