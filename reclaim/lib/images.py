"""Uploaded images, decoded and drawn again by us: what anyone uploads is never stored or
served as it came.

A file is opened with Pillow limited to a few raster formats, checked for size (bytes and
pixels, before it is decoded: a small PNG can claim a huge canvas), turned upright by its
EXIF orientation, shrunk and re-encoded without any of the original's metadata (EXIF, GPS,
comments, XMP, ICC profile). SVG is refused: it can carry script, and a sanitiser would be
one more thing to keep up to date for a picture that a PNG shows just as well.

Used by the coalition's logos (always PNG) and the newsroom's images (JPEG for photos, PNG
when the image has transparency).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# The decoders we let Pillow use; anything else is "not an image we take".
ACCEPTED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
# The accept attribute of an upload field that takes them.
ACCEPT = "image/png,image/jpeg,image/gif,image/webp"
# Good enough that a photo shows no artefacts on a screen, a third of the size of 95.
JPEG_QUALITY = 85

NOT_AN_IMAGE = _("This file is not an image we can read. Upload a PNG, JPEG, GIF or WebP file.")
SVG_REFUSED = _(
    "SVG images are not accepted, because they can contain scripts. Upload a PNG, JPEG, GIF "
    "or WebP file."
)
EMPTY = _("The file is empty.")

Output = Literal["png", "auto"]


@dataclass(frozen=True)
class Processed:
    """An image as we re-encoded it."""

    content: bytes
    content_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "jpg" if self.content_type == "image/jpeg" else "png"


def _looks_like_svg(head: bytes, name: str) -> bool:
    if name.lower().endswith((".svg", ".svgz")):
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<?xml") or text.startswith(b"<svg") or b"<svg" in text[:1024]


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)s MB. Upload a smaller image.")
        % {"size": round(limit / (1024 * 1024), 1)},
        code="too_large",
    )


def _read(uploaded_file: Any, limit: int) -> bytes:
    """The file's bytes, reading at most one byte past the limit (never a 30 MB file whole)."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return bytes(data)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def reencode(
    uploaded_file: Any,
    *,
    max_bytes: int,
    max_pixels: int,
    max_side: int,
    output: Output = "png",
    svg_refused: Any = SVG_REFUSED,
) -> Processed:
    """The image as we keep it, from an uploaded file (Django's ``UploadedFile`` or any
    binary file object). ``output="png"`` always gives a PNG; ``"auto"`` a JPEG unless the
    image has transparency. Raises ``ValidationError`` with a translated message (codes
    ``empty``, ``too_large``, ``svg``, ``too_many_pixels``, ``not_an_image``) for anything
    that is not a raster image within the limits."""
    data = _read(uploaded_file, max_bytes)
    if not data:
        raise ValidationError(EMPTY, code="empty")
    if _looks_like_svg(data[:2048], str(getattr(uploaded_file, "name", "") or "")):
        raise ValidationError(svg_refused, code="svg")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its bound and twice it; we refuse earlier anyway.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = opened.size
            if width <= 0 or height <= 0 or width * height > max_pixels:
                raise ValidationError(
                    _("The image is too large (%(width)s × %(height)s pixels).")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            # The first frame of an animation; then upright, as a camera's EXIF says.
            opened.seek(0)
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            alpha = _has_alpha(upright)
            image = upright.convert("RGBA" if alpha else "RGB")
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            # A new image of plain pixels: nothing of the original's info (EXIF, XMP, text
            # chunks, ICC profile) is passed to the encoder.
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            out = io.BytesIO()
            if output == "auto" and not alpha:
                clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                content_type = "image/jpeg"
            else:
                clean.save(out, format="PNG", optimize=True)
                content_type = "image/png"
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
    return Processed(out.getvalue(), content_type, clean.width, clean.height)
