"""Logos: what an upload becomes, what is refused, and how the logo is served."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from reclaim.audit.models import AuditEntry
from reclaim.coalition.services.directory import store_logo
from reclaim.coalition.services.logos import process_logo
from reclaim.coalition.tests.fixtures_directory import *  # noqa: F403
from reclaim.coalition.tests.fixtures_directory import image_bytes, upload

SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"""


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (120, 80), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0112] = 1  # Orientation
    gps = {1: "N", 2: (48.0, 12.0, 30.0), 3: "E", 4: (16.0, 22.0, 10.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def test_a_png_comes_back_as_a_png_of_at_most_400_pixels():
    content, content_type = process_logo(upload(image_bytes(size=(1200, 600))))
    assert content_type == "image/png"
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG"
    assert image.size == (400, 200)


def test_a_jpeg_with_gps_is_stored_without_any_exif():
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    content, _type = process_logo(upload(original, "photo.jpg", "image/jpeg"))
    stored = Image.open(io.BytesIO(content))
    assert not stored.getexif()
    assert "exif" not in stored.info
    assert b"Exif" not in content
    assert b"CameraMaker" not in content
    assert b"secret comment" not in content


def test_a_photo_taken_sideways_is_turned_upright():
    image = Image.new("RGB", (100, 50))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: shown as 50 × 100
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    content, _type = process_logo(upload(out.getvalue(), "photo.jpg"))
    assert Image.open(io.BytesIO(content)).size == (50, 100)


def test_a_transparent_logo_keeps_its_transparency():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    content, _type = process_logo(upload(out.getvalue()))
    assert Image.open(io.BytesIO(content)).mode == "RGBA"


@pytest.mark.parametrize(
    "name,content",
    [("logo.svg", SVG), ("logo.png", SVG), ("logo.png", b"\n  <svg onload='alert(1)'/>")],
)
def test_an_svg_is_refused_with_a_clear_error(name: str, content: bytes):
    with pytest.raises(ValidationError) as refused:
        process_logo(upload(content, name, "image/svg+xml"))
    assert refused.value.code == "svg"
    assert "SVG" in refused.value.messages[0]


def test_a_php_file_named_png_is_refused_as_not_an_image():
    with pytest.raises(ValidationError) as refused:
        process_logo(upload(b"<?php system($_GET['c']); ?>", "shell.png"))
    assert refused.value.code == "not_an_image"
    assert "not an image" in refused.value.messages[0]


def test_a_truncated_image_is_refused_as_not_an_image():
    with pytest.raises(ValidationError) as refused:
        process_logo(upload(image_bytes()[:60]))
    assert refused.value.code == "not_an_image"


def test_a_format_we_do_not_take_is_refused():
    with pytest.raises(ValidationError) as refused:
        process_logo(upload(image_bytes("BMP"), "logo.bmp"))
    assert refused.value.code == "not_an_image"


def test_a_30_mb_file_is_refused_without_being_read_whole():
    big = upload(image_bytes() + b"\0" * (30 * 1024 * 1024), "huge.png")
    with pytest.raises(ValidationError) as refused:
        process_logo(big)
    assert refused.value.code == "too_large"
    assert "MB" in refused.value.messages[0]


def test_a_file_object_without_a_size_is_still_bounded():
    stream = io.BytesIO(b"\x89PNG" + b"\0" * (3 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        process_logo(stream)
    assert refused.value.code == "too_large"


def test_a_small_file_claiming_a_huge_canvas_is_refused_before_decoding():
    bomb = image_bytes(size=(6000, 6000))
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        process_logo(upload(bomb))
    assert refused.value.code == "too_many_pixels"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        process_logo(upload(b""))
    assert refused.value.code == "empty"


def test_the_error_is_translated(settings: Any):
    from django.utils import translation

    with translation.override("de"), pytest.raises(ValidationError) as refused:
        process_logo(upload(b"not an image at all", "x.png"))
    # Either translated or the English source: never a Pillow message.
    message = str(refused.value.messages[0])
    assert "PIL" not in message and "cannot identify" not in message


def test_the_logo_is_served_from_our_origin_with_a_year_of_cache(client, listed):
    content, content_type = process_logo(upload(image_bytes()))
    store_logo(listed, content, content_type, "test")
    url = reverse("coalition:logo", args=[listed.slug, listed.logo_version])
    assert listed.logo_version in url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=31536000" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == content
    assert AuditEntry.objects.filter(action="coalition.logo_change").exists()


def test_an_old_logo_address_leads_to_the_current_logo(client, listed):
    store_logo(listed, *process_logo(upload(image_bytes())), "test")
    response = client.get(reverse("coalition:logo", args=[listed.slug, "0123abcd"]))
    assert response.status_code == 302
    assert listed.logo_version in response["Location"]


def test_the_logo_of_an_unlisted_organisation_is_not_public(client, make_organisation):
    applicant = make_organisation("Applicant", status="applicant", profile_approved_at=None)
    store_logo(applicant, *process_logo(upload(image_bytes())), "test")
    url = reverse("coalition:logo", args=[applicant.slug, applicant.logo_version])
    assert client.get(url).status_code == 404


def test_staff_who_manage_organisations_see_an_unlisted_logo(as_user, organiser, make_organisation):
    applicant = make_organisation("Applicant", status="applicant", profile_approved_at=None)
    store_logo(applicant, *process_logo(upload(image_bytes())), "test")
    url = reverse("coalition:logo", args=[applicant.slug, applicant.logo_version])
    response = as_user(organiser).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_organisation_without_a_logo_has_no_logo_address(client, listed):
    assert client.get(f"/en/coalition/{listed.slug}/logo/abc.png").status_code == 404
