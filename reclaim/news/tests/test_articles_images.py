"""Images for articles: uploaded by staff in the admin, re-encoded without metadata, served
from our origin with a year of cache, refused with a clear error when not an image."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image as Picture

from reclaim.audit.models import AuditEntry
from reclaim.news.models import Image
from reclaim.news.services.images import image_url, markdown_snippet
from reclaim.news.tests.fixtures_articles import *  # noqa: F403
from reclaim.news.tests.fixtures_articles import jpeg_with_gps, png_bytes, upload

pytestmark = pytest.mark.django_db

ADD = "/en/admin/news/image/add/"


def _no_metadata(content: bytes) -> None:
    stored = Picture.open(io.BytesIO(content))
    assert not stored.getexif()
    assert "exif" not in stored.info
    assert b"Exif" not in content
    assert b"CameraMaker" not in content
    assert b"secret comment" not in content


def test_a_photo_with_gps_is_stored_and_served_without_any_exif(as_user, organiser, client):
    original = jpeg_with_gps()
    assert Picture.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    response = as_user(organiser).post(
        ADD, {"file": upload(original), "alt": "Protesters in front of the Parliament"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    _no_metadata(bytes(image.data))
    # Shrunk to at most 1600 pixels a side, re-encoded as JPEG.
    assert (image.width, image.height) == (1600, 800)
    assert image.content_type == "image/jpeg"
    served = client.get(image_url(image))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "max-age=31536000" in served["Cache-Control"]
    assert served["X-Content-Type-Options"] == "nosniff"
    _no_metadata(served.content)
    assert image_url(image) == f"/en/news/images/{image.pk}-{image.version}.jpg"
    entry = AuditEntry.objects.get(action="news.image_upload")
    assert entry.actor == "alice"


def test_a_transparent_image_stays_a_png(as_user, organiser):
    as_user(organiser).post(
        ADD, {"file": upload(png_bytes(mode="RGBA"), "logo.png", "image/png"), "alt": "A logo"}
    )
    assert Image.objects.get().content_type == "image/png"


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_error(as_user, organiser):
    response = as_user(organiser).post(
        ADD, {"file": upload(b"<?php system($_GET['c']); ?>", "shell.jpg"), "alt": "Nothing"}
    )
    assert response.status_code == 200
    assert "This file is not an image we can read" in response.content.decode()
    assert not Image.objects.exists()


def test_an_svg_is_refused(as_user, organiser):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = as_user(organiser).post(
        ADD, {"file": upload(svg, "x.svg", "image/svg+xml"), "alt": "Nothing"}
    )
    assert "SVG images are not accepted" in response.content.decode()
    assert not Image.objects.exists()


def test_the_text_alternative_is_required(as_user, organiser):
    response = as_user(organiser).post(ADD, {"file": upload(jpeg_with_gps((40, 20))), "alt": "  "})
    assert response.status_code == 200
    assert not Image.objects.exists()


def test_the_admin_shows_the_markdown_to_paste(as_user, organiser):
    client = as_user(organiser)
    client.post(ADD, {"file": upload(jpeg_with_gps((40, 20))), "alt": "A [red] square"})
    image = Image.objects.get()
    assert markdown_snippet(image) == f"![A (red) square]({image_url(image)})"
    page = client.get(f"/en/admin/news/image/{image.pk}/change/").content.decode()
    assert f"![A (red) square]({image_url(image)})" in page


def test_an_old_address_of_an_image_leads_to_the_current_one(as_user, organiser, client):
    as_user(organiser).post(ADD, {"file": upload(jpeg_with_gps((40, 20))), "alt": "Square"})
    image = Image.objects.get()
    response = client.get(f"/en/news/images/{image.pk}-0123abcd.jpg")
    assert response.status_code == 302
    assert image.version in response["Location"]
    assert client.get("/en/news/images/999-0123abcd.jpg").status_code == 404


def test_an_uploaded_image_shows_in_an_article(as_user, organiser, client, write_article):
    as_user(organiser).post(ADD, {"file": upload(jpeg_with_gps((40, 20))), "alt": "Square"})
    image = Image.objects.get()
    write_article("pictured", body=markdown_snippet(image))
    page = client.get("/en/news/pictured/").content.decode()
    assert f'<img src="{image_url(image)}" alt="Square">' in page


def test_a_photo_of_several_megabytes_can_be_uploaded(as_user, organiser):
    # Far over the 64 KB a text form may post: the admin takes up to STAFF_UPLOAD_MAX_BYTES.
    noise = Picture.frombytes("RGB", (1400, 1000), random.Random(3).randbytes(1400 * 1000 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=95)
    original = buffer.getvalue()
    assert len(original) > 1024 * 1024
    response = as_user(organiser).post(ADD, {"file": upload(original), "alt": "A crowd"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Image.objects.get().width == 1400


def test_a_post_over_the_staff_limit_is_refused_before_it_is_read(as_user, organiser, settings):
    settings.RECLAIM = settings.RECLAIM | {"STAFF_UPLOAD_MAX_BYTES": 100_000}
    response = as_user(organiser).post(
        ADD, {"file": upload(b"x" * 200_000, "big.jpg"), "alt": "Too big"}
    )
    assert response.status_code == 413
    assert not Image.objects.exists()
