"""Fixtures shared by every app's tests: personas, a sealing key, a petition."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts.roles import MODERATOR, ORGANISER, sync_roles
from reclaim.keyring.services import create_key
from reclaim.letters.models import Petition
from reclaim.lib.sealing import KeyPair

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each request activates its language and leaves it active in the thread: reset it so
    one test's German page cannot leak into the next test's assertions."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached counts live in the cache, the open petitions and the
    active key in the process cache: no test inherits another's."""
    from django.core.cache import cache

    from reclaim.lib.processcache import clear_all

    cache.clear()
    clear_all()
    yield
    cache.clear()
    clear_all()


@pytest.fixture
def keypair(db: Any) -> KeyPair:
    return create_key("European Digital Rights (EDRi)", PASSPHRASE, actor="test")


@pytest.fixture
def petition(keypair: KeyPair) -> Petition:
    return Petition.objects.create(
        slug="ban",
        title="Ban biometric mass surveillance",
        text="First paragraph.\n\nSecond paragraph.",
        goal=100,
        milestones=[2, 50],
        status=Petition.Status.OPEN,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=60),
        retention_days=30,
    )


@pytest.fixture
def letter(keypair: KeyPair) -> Petition:
    return Petition.objects.create(
        kind=Petition.Kind.LETTER,
        slug="letter",
        title="Will you stand up for our rights?",
        text="Dear Members of the European Parliament,\n\nPlease act.",
        recipients="Members of the European Parliament",
        status=Petition.Status.OPEN,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=60),
    )


def _staff(username: str, role: str | None) -> User:
    sync_roles()
    user = User.objects.create_user(username, password="pw-" + username, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def organiser(db: Any) -> User:
    """alice: runs the campaign."""
    return _staff("alice", ORGANISER)


@pytest.fixture
def moderator(db: Any) -> User:
    """bob: moderates names and organisations."""
    return _staff("bob", MODERATOR)


@pytest.fixture
def outsider(db: Any) -> User:
    """charlie: a staff account with no role."""
    return _staff("charlie", None)


@pytest.fixture
def as_user() -> Any:
    """A client signed in as the user, past the second factor: the user gets a confirmed
    TOTP device and the session is marked verified, as after entering a right code, so
    staff tests pass whether or not RECLAIM["REQUIRE_2FA"] is on."""

    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login
