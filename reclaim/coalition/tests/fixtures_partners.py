"""Personas and data of the partner area's tests: two member organisations, A and B, each
with a partner account and a widget that brought signatures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from reclaim.coalition.models import Organisation, Widget
from reclaim.coalition.services.partners import make_partner_account
from reclaim.letters.models import Petition, Signature

# What a test module takes with ``from ... import *``: the fixtures (helpers by name).
__all__ = ["org_a", "org_b", "partner_a", "partner_b", "widget_a", "widget_b"]


def _organisation(slug: str, name: str) -> Organisation:
    return Organisation.objects.create(
        slug=slug,
        name=name,
        country="DE",
        website=f"https://{slug}.example.org",
        status=Organisation.Status.MEMBER,
        profile_approved_at=timezone.now(),
    )


@pytest.fixture
def org_a(db: Any) -> Organisation:
    return _organisation("digital-a", "Digital A")


@pytest.fixture
def org_b(db: Any) -> Organisation:
    return _organisation("rights-b", "Rights B")


@pytest.fixture
def partner_a(org_a: Organisation) -> Any:
    return make_partner_account(org_a, "anna@a.example.org", actor="test", language="de")


@pytest.fixture
def partner_b(org_b: Organisation) -> Any:
    return make_partner_account(org_b, "bert@b.example.org", actor="test")


def make_widget(organisation: Organisation, petition: Petition, key: str) -> Widget:
    return Widget.objects.create(
        organisation=organisation, key=key, target=Widget.Target.PETITION, petition=petition
    )


def sign(petition: Petition, key: str, country: str, days_ago: int = 0, **fields: Any) -> Signature:
    """A signature through the widget ``key``, confirmed ``days_ago`` days ago (unless
    ``confirmed_at`` is given)."""
    fields.setdefault("confirmed_at", timezone.now() - timedelta(days=days_ago))
    return Signature.objects.create(
        petition=petition,
        kind=Signature.Kind.INDIVIDUAL,
        country=country,
        language="en",
        widget_key=key,
        **fields,
    )


@pytest.fixture
def widget_a(org_a: Organisation, petition: Petition) -> Widget:
    return make_widget(org_a, petition, "key-of-a-0000000")


@pytest.fixture
def widget_b(org_b: Organisation, petition: Petition) -> Widget:
    return make_widget(org_b, petition, "key-of-b-0000000")
