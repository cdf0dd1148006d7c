"""Fixtures shared by the atlas's tests (import them in a test module:
``from reclaim.atlas.tests.fixtures import *  # noqa: F403``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from reclaim.accounts.roles import sync_roles
from reclaim.atlas.models import Capability, Deployment, Device, Verification
from reclaim.atlas.roles import REVIEWER

__all__ = ["make_deployment", "make_device", "make_reviewer", "reviewers", "belgrade"]


@pytest.fixture
def make_deployment(db: Any) -> Callable[..., Deployment]:
    made = iter(range(1, 10_000))

    def make(**fields: Any) -> Deployment:
        n = next(made)
        values: dict[str, Any] = {
            "name": f"Safe City {n}",
            "slug": f"safe-city-{n}",
            "city": "Belgrade",
            "country": "RS",
            "operator": "Ministry of the Interior",
            "system": "Safe City",
            "vendor": "Huawei",
            "status": Deployment.Status.ACTIVE,
            "published": True,
            "verification": Verification.REPORTED,
        }
        values.update(fields)
        capabilities = values.pop("capabilities", [Capability.Kind.FACE])
        deployment = Deployment.objects.create(**values)
        for kind in capabilities:
            Capability.objects.create(
                deployment=deployment, kind=kind, confidence=Capability.Confidence.LIKELY
            )
        return deployment

    return make


@pytest.fixture
def make_device(db: Any) -> Callable[..., Device]:
    def make(deployment: Deployment | None = None, **fields: Any) -> Device:
        today = timezone.localdate()
        values: dict[str, Any] = {
            "deployment": deployment,
            "latitude": 44.8125,
            "longitude": 20.4612,
            "city": deployment.city if deployment else "Belgrade",
            "place": "Republic Square",
            "first_seen": today - timedelta(days=400),
            "last_seen": today - timedelta(days=20),
            "published": True,
        }
        values.update(fields)
        return Device.objects.create(**values)

    return make


@pytest.fixture
def make_reviewer(db: Any) -> Callable[[str], User]:
    """A trusted volunteer holding the Reviewers role (staff, no other permission)."""

    def make(username: str) -> User:
        sync_roles()
        user = User.objects.create_user(username, password="pw-" + username, is_staff=True)
        user.groups.add(Group.objects.get(name=REVIEWER))
        return user

    return make


@pytest.fixture
def reviewers(make_reviewer: Callable[[str], User]) -> list[User]:
    """Three reviewers: dana, emil and fatima."""
    return [make_reviewer(name) for name in ("dana", "emil", "fatima")]


@pytest.fixture
def belgrade(make_deployment: Callable[..., Deployment]) -> Deployment:
    return make_deployment(name="Safe City Belgrade", slug="safe-city-belgrade")


def stale_date(months: int = 13) -> date:
    return timezone.localdate() - timedelta(days=31 * months)
