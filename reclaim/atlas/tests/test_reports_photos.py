"""Photos sent with a report: the original never reaches a disk, nothing of its metadata
(GPS position, camera serial, XMP, comment) is stored or served, a file that is not an
image is refused, and only reviewers see a report's photo."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files import uploadedfile
from django.db import connection
from django.test import Client, RequestFactory
from PIL import Image

from reclaim.atlas.models import Photo, Report
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures_reports import (
    URL,
    form,
    jpeg_with_metadata,
    post,
    secrets_in,
    upload,
)

SQLITE = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


@pytest.fixture
def temporary_files(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> list[str]:
    """Every temporary upload file Django makes, recorded; uploads larger than 2 kB would
    go to one by default (and into a folder of the test's own)."""
    made: list[str] = []
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 2048
    original = uploadedfile.TemporaryUploadedFile.__init__

    def recording(self: Any, *args: Any, **kwargs: Any) -> None:
        made.append(str(args[0] if args else kwargs.get("name")))
        original(self, *args, **kwargs)

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", recording)
    return made


def _stored_and_served(reviewer_client: Client) -> tuple[Photo, bytes]:
    photo = Photo.objects.get()
    response = reviewer_client.get(f"/en/atlas/report/photos/{photo.pk}/{photo.version}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    return photo, b"".join(response) if response.streaming else response.content


def _assert_clean(content: bytes) -> None:
    assert secrets_in(content) == []
    assert b"Exif\x00\x00" not in content
    assert b"http://ns.adobe.com/xap/1.0/" not in content
    assert b"xmpmeta" not in content
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert not image.getexif()
    for key in ("exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"):
        assert key not in image.info, key


def _database_files() -> list[Path]:
    database = Path(django_settings.DATABASES["default"]["NAME"])
    return [p for p in database.parent.glob(database.name + "*") if p.is_file()]


@pytest.mark.django_db(transaction=True)
def test_the_metadata_of_a_photo_is_nowhere_in_what_is_stored_or_served(
    client: Client, as_user: Any, make_reviewer: Any, temporary_files: list[str]
):
    original = jpeg_with_metadata()
    # The test photo carries everything the test looks for, and is larger than what Django
    # keeps in memory by default, so that a temporary file would be made for it.
    assert set(secrets_in(original)) == {
        "serial", "xmp marker", "xmp position", "gps rationals", "camera", "comment"
    }  # fmt: skip
    assert len(original) > django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    response = post(client, form() | {"photos": upload(original)})
    assert response.status_code == 302, response.content.decode()[:2000]

    report = Report.objects.get()
    photo = Photo.objects.get()
    assert photo.report == report and photo.device is None
    stored = bytes(photo.content)
    _assert_clean(stored)
    assert (photo.width, photo.height) == (160, 120)
    assert photo.content_type == "image/jpeg"

    reviewer = as_user(make_reviewer("dana"))
    _photo, served = _stored_and_served(reviewer)
    assert served == stored
    _assert_clean(served)

    # No temporary file was made for the upload: the original was only ever in memory.
    assert temporary_files == []
    assert list(Path(django_settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []

    if SQLITE:
        # The database file and its write-ahead log hold the photo: none of the metadata
        # is in their bytes.
        files = _database_files()
        assert any(p.name.endswith("-wal") for p in files), "the test must read a WAL"
        for path in files:
            assert secrets_in(path.read_bytes()) == [], path
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM atlas_photo")
            rows = cursor.fetchall()
            cursor.execute("SELECT * FROM atlas_report")
            rows += cursor.fetchall()
        raw = repr(rows).encode() + b"".join(
            bytes(value) for row in rows for value in row if isinstance(value, memoryview)
        )
        assert secrets_in(raw) == []
    Photo.objects.all().delete()
    Report.objects.all().delete()


def test_django_would_have_made_a_temporary_file_for_that_photo_by_default(
    temporary_files: list[str],
):
    """The test above means something: with Django's default upload handlers, the same
    photo goes to a temporary file, and the recorder sees it."""
    request = RequestFactory().post(URL, form() | {"photos": upload(jpeg_with_metadata())})
    files = request.FILES.getlist("photos")
    assert len(files) == 1
    assert isinstance(files[0], uploadedfile.TemporaryUploadedFile)
    assert temporary_files
    files[0].close()


@pytest.mark.django_db
def test_up_to_three_photos_are_kept_each_redrawn(client: Client):
    photos = [upload(jpeg_with_metadata((60, 40), seed=n), name=f"p{n}.jpg") for n in range(3)]
    assert post(client, form() | {"photos": photos}).status_code == 302
    report = Report.objects.get()
    assert report.photos.count() == 3
    for photo in report.photos.all():
        assert secrets_in(bytes(photo.content)) == []
        assert len(photo.version) == 12


@pytest.mark.django_db
def test_a_fourth_photo_is_refused_and_nothing_is_stored(client: Client):
    photos = [upload(jpeg_with_metadata((30, 20), seed=n), name=f"p{n}.jpg") for n in range(4)]
    response = post(client, form() | {"photos": photos})
    assert response.status_code == 400
    assert "Please choose at most 3 photos." in response.content.decode()
    assert not Report.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7 not a photo at all", "camera.jpg", "This file is not an image we can read."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "camera.svg", "SVG images are not"),
        (b"\xff\xd8\xff\xe0 truncated jpeg", "camera.jpg", "This file is not an image"),
    ],
)
def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(
    client: Client, content: bytes, name: str, message: str
):
    response = post(client, form() | {"photos": upload(content, name=name)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Photo 1:" in body and message in body
    assert not Report.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
def test_a_photo_over_the_size_limit_is_refused(client: Client, settings: Any):
    settings.RECLAIM = settings.RECLAIM | {"ATLAS_PHOTO_MAX_BYTES": 5000}
    response = post(client, form() | {"photos": upload(jpeg_with_metadata())})
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert not Report.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
def test_a_photo_from_a_phone_larger_than_any_form_is_taken(client: Client):
    # A real photo is megabytes: far over the 64 KB every text form is held to, which the
    # report form lifts for itself (accepts_uploads) to three photos and its text.
    big = jpeg_with_metadata((1200, 900))
    assert len(big) > 15 * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post(client, form() | {"photos": upload(big)})
    assert response.status_code == 302, response.content.decode()[:500]
    stored = Photo.objects.get()
    assert secrets_in(bytes(stored.content)) == []
    assert max(stored.width, stored.height) <= 1600


@pytest.mark.django_db
def test_a_post_larger_than_three_photos_is_refused_before_it_is_read(
    client: Client, settings: Any
):
    settings.RECLAIM = settings.RECLAIM | {"ATLAS_PHOTO_MAX_BYTES": 50_000}
    limit = 3 * 50_000 + django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    big = jpeg_with_metadata((400, 300))
    photos = [upload(big, name=f"IMG_{n}.jpg") for n in range(3)]
    assert 3 * len(big) > limit
    response = post(client, form() | {"photos": photos})
    assert response.status_code == 413
    assert "larger than this form accepts" in response.content.decode()
    assert not Report.objects.exists() and not Photo.objects.exists()


@pytest.mark.django_db
def test_only_reviewers_see_a_report_s_photo(
    client: Client, as_user: Any, make_reviewer: Any, outsider: Any, make_device: Any
):
    assert (
        post(client, form() | {"photos": upload(jpeg_with_metadata((40, 30)))}).status_code == 302
    )
    photo = Photo.objects.get()
    path = f"/en/atlas/report/photos/{photo.pk}/{photo.version}"

    # Nobody signed in: to the sign-in page; staff without the permission: refused.
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert as_user(outsider).get(path).status_code == 403
    # Not on the public photo address either, while it is a report's.
    assert client.get(f"/en/atlas/photos/{photo.pk}/{photo.version}").status_code == 404

    reviewer = as_user(make_reviewer("emil"))
    assert reviewer.get(path).status_code == 200
    moved = reviewer.get(f"/en/atlas/report/photos/{photo.pk}/0000")
    assert moved.status_code == 302 and moved["Location"].endswith(path)
    assert (
        reviewer.get(f"/en/atlas/report/photos/{photo.pk + 1}/{photo.version}").status_code == 404
    )

    # Once it is a device's photo (an accepted report), it is no report's any more.
    Photo.objects.filter(pk=photo.pk).update(device=make_device(), report=None)
    assert reviewer.get(path).status_code == 404
