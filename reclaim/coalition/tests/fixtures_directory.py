"""Fixtures of the directory's tests: listed organisations, images, co-signatures.

Import what a test module uses: ``from reclaim.coalition.tests.fixtures_directory import *``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from reclaim.coalition.models import Description, Organisation
from reclaim.letters.models import Petition, Signature

__all__ = [
    "image_bytes",
    "listed",
    "make_organisation",
    "org_signature",
    "upload",
]


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 32), **save: Any) -> bytes:
    image = Image.new("RGB", size, (90, 31, 140))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def upload(content: bytes, name: str = "logo.png", content_type: str = "image/png") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def make_organisation(db: Any) -> Callable[..., Organisation]:
    """``make_organisation("Name", **fields)``: a listed member unless told otherwise, with a
    description per language given as ``descriptions={"en": ...}``."""
    counter = iter(range(1, 100_000))

    def make(name: str, descriptions: dict[str, str] | None = None, **fields: Any) -> Organisation:
        values: dict[str, Any] = {
            "slug": f"org-{next(counter)}",
            "country": "DE",
            "tier": Organisation.Tier.PARTNER,
            "kind": Organisation.Kind.DIGITAL_RIGHTS,
            "status": Organisation.Status.MEMBER,
            "profile_approved_at": timezone.now(),
            "joined_on": date(2021, 3, 14),
        }
        values.update(fields)
        organisation = Organisation.objects.create(name=name, **values)
        for language, text in (descriptions or {}).items():
            Description.objects.create(organisation=organisation, language=language, text=text)
        return organisation

    return make


@pytest.fixture
def listed(make_organisation: Callable[..., Organisation]) -> Organisation:
    return make_organisation(
        "epicenter.works",
        slug="epicenter-works",
        country="AT",
        tier=Organisation.Tier.LEAD,
        website="https://epicenter.works/",
        descriptions={"en": "Defends fundamental rights online.", "de": "Grundrechte im Netz."},
    )


@pytest.fixture
def org_signature(letter: Petition) -> Callable[..., Signature]:
    """``org_signature("Name", **fields)``: a confirmed organisation's co-signature of the
    ``letter``."""
    counter = iter(range(1, 100_000))

    def make(name: str, **fields: Any) -> Signature:
        values: dict[str, Any] = {
            "petition": letter,
            "kind": Signature.Kind.ORGANISATION,
            "country": "BE",
            "language": "en",
            "public_name": name,
            "listed": True,
            "review": Signature.Review.APPROVED,
            "confirmed_at": timezone.now(),
            "email_hash": f"hash-{next(counter)}",
        }
        values.update(fields)
        return Signature.objects.create(**values)

    return make
