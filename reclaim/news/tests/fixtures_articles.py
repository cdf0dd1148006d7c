"""Fixtures of the articles' tests: articles written through the services, images.

Import what a test module uses: ``from reclaim.news.tests.fixtures_articles import *``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from reclaim.coalition.models import Organisation
from reclaim.news.models import Article, Tag
from reclaim.news.services.articles import create_article, set_tag, translate_article

__all__ = [
    "author",
    "jpeg_with_gps",
    "png_bytes",
    "story",
    "tag",
    "upload",
    "write_article",
]


def png_bytes(size: tuple[int, int] = (64, 32), mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, (90, 31, 140) if mode == "RGB" else (90, 31, 140, 128))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (2400, 1200)) -> bytes:
    """A photo whose EXIF says where and with what it was taken."""
    image = Image.new("RGB", size, (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0112] = 1  # Orientation
    exif[0x8825] = {1: "N", 2: (48.0, 12.0, 30.0), 3: "E", 4: (16.0, 22.0, 10.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def author(db: Any) -> Organisation:
    return Organisation.objects.create(
        name="epicenter.works",
        slug="epicenter-works",
        country="AT",
        status=Organisation.Status.MEMBER,
        profile_approved_at=timezone.now(),
    )


@pytest.fixture
def tag(db: Any) -> Tag:
    return set_tag(
        "facial-recognition",
        {"en": "Facial recognition", "de": "Gesichtserkennung", "fr": "Reconnaissance faciale"},
        "test",
    )


@pytest.fixture
def write_article(db: Any) -> Callable[..., Article]:
    """``write_article(slug, **fields)``: a published English article of an hour ago
    unless told otherwise, written through the service."""

    def write(slug: str = "ban-vote", **fields: Any) -> Article:
        values: dict[str, Any] = {
            "language": "en",
            "title": f"Title of {slug}",
            "summary": f"Summary of {slug}.",
            "body": f"Body of {slug}.",
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(hours=1),
        }
        values.update(fields)
        return create_article("test", slug=slug, **values)

    return write


@pytest.fixture
def story(write_article: Callable[..., Article], author: Organisation, tag: Tag) -> Article:
    """An English source with German and French translations, all published."""
    source = write_article(
        "parliament-vote",
        title="Parliament calls for a ban",
        summary="MEPs adopted a report.",
        body="The **report** asks for a ban.",
        author=author,
        tags=[tag],
    )
    for language, slug, title in (
        ("de", "parlament-abstimmung", "Parlament fordert ein Verbot"),
        ("fr", "vote-du-parlement", "Le Parlement demande une interdiction"),
    ):
        translate_article(
            source,
            language,
            "test",
            title=title,
            summary=f"Zusammenfassung {language}",
            body=f"Text {language}",
            slug=slug,
            status=Article.Status.PUBLISHED,
            published_at=source.published_at,
        )
    return source
