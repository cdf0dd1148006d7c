"""Every public page in a real browser (Debian's Chromium, JavaScript on): no request may
leave our origin (PRODUCT.md invariant 1), whatever the page's scripts and styles load."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page

from reclaim.eci.models import CounterReading, Initiative, Sponsor
from reclaim.letters.models import Petition, Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ECI = "/en/eci/ban-biometric"
# Chromium reports a page answered with an error status on the console; that is the page
# we asked for, not something going wrong on it.
STATUS_MESSAGE = "Failed to load resource: the server responded with a status of 404"


@pytest.fixture
def campaign(petition: Petition, letter: Petition) -> Initiative:
    """A petition with a listed organisation that links to its own site, an open letter,
    and a collecting initiative with counts and a sponsor, so each page shows its all."""
    Signature.objects.create(
        petition=petition,
        kind=Signature.Kind.ORGANISATION,
        country="BE",
        language="en",
        public_name="European Digital Rights",
        public_website="https://edri.org/",
        listed=True,
        review=Signature.Review.APPROVED,
        confirmed_at=timezone.now(),
    )
    initiative = Initiative.objects.create(
        slug="ban-biometric",
        registration_number="ECI(2025)000004",
        registered_on=date(2025, 3, 12),
        title="Ban biometric mass surveillance in public spaces",
        objectives="We ask the Commission to propose a ban.",
        register_url="https://register.eci.ec.europa.eu/core/initiative/2025/000004",
        signing_url="https://eci.ec.europa.eu/050/public/?lg=en",
        collection_start=date(2025, 6, 1),
        collection_end=date(2026, 5, 31),
        status=Initiative.Status.COLLECTING,
    )
    thresholds = initiative.thresholds()
    now = timezone.now()
    for iso, share in {"DE": 0.9, "AT": 1.1, "FR": 0.4}.items():
        for days_ago, factor in ((7, 0.8), (0, 1.0)):
            CounterReading.objects.create(
                initiative=initiative,
                source=CounterReading.Source.REGISTER,
                country=iso,
                count=round(thresholds[iso] * share * factor),
                read_at=now - timedelta(days=days_ago, hours=1),
            )
    Sponsor.objects.create(
        initiative=initiative,
        name="European Digital Rights",
        amount=Decimal("12500"),
        received_on=date(2025, 7, 1),
    )
    return initiative


def public_pages() -> dict[str, int]:
    """Each public page and the status it answers with."""
    pages = {
        "/en/": 200,
        "/de/": 200,
        "/en/p/ban/": 200,
        "/fr/p/ban/": 200,
        "/en/p/letter/": 200,
        "/en/p/letter/?as=organisation": 200,
        "/en/p/ban/signatories/": 200,
        "/en/p/ban/thanks/": 200,
        "/en/privacy/": 200,
        "/en/eci/": 200,
        f"{ECI}/": 200,
        f"{ECI}/check/?nationality=DE&age=30": 200,
        f"{ECI}/check/?nationality=FR&age=16": 200,
        f"{ECI}/dashboard/": 200,
        f"{ECI}/embed/?partner=edri": 200,
        f"{ECI}/forms/": 200,
        f"{ECI}/calendar/": 200,
        f"{ECI}/sponsors/": 200,
        "/en/no-such-page/": 404,
        "/en/s/unknown-token/": 404,
    }
    if apps.is_installed("reclaim.privacy"):
        pages["/en/privacy/data/"] = 200
    if apps.is_installed("reclaim.coalition"):
        pages |= {
            "/en/coalition/": 200,
            "/de/coalition/?country=DE": 200,
            "/en/coalition/edri/": 200,
            "/en/coalition/join/": 200,
            f"/en/coalition/widgets/{WIDGET_KEY}/": 200,
            "/en/coalition/widgets/no-such-widget/": 404,
            "/api/v1/docs": 200,
        }
    return pages


WIDGET_KEY = "abcdefghijklmnop"


@pytest.fixture
def coalition(campaign: Initiative, petition: Petition) -> None:
    """A listed member with a widget for the petition, and principles to apply under."""
    if not apps.is_installed("reclaim.coalition"):
        return
    from reclaim.coalition.models import Description, Organisation, Principles, Widget

    edri = Organisation.objects.create(
        name="European Digital Rights",
        slug="edri",
        country="BE",
        tier=Organisation.Tier.LEAD,
        kind=Organisation.Kind.NETWORK,
        website="https://edri.org/",
        status=Organisation.Status.MEMBER,
        profile_approved_at=timezone.now(),
    )
    Description.objects.create(organisation=edri, language="en", text="A network.")
    edri.petitions.add(petition)
    Widget.objects.create(
        organisation=edri, key=WIDGET_KEY, target=Widget.Target.PETITION, petition=petition
    )
    Principles.objects.create(version=1, text="We stand against biometric mass surveillance.")


def test_no_public_page_makes_a_request_to_another_origin(
    page: Page, campaign: Initiative, coalition: None, traffic: Any, live_server: Any
) -> None:
    pages = public_pages()
    for path, status in pages.items():
        response = page.goto(path)
        assert response is not None and response.status == status, path
        page.wait_for_load_state("networkidle")
        # Checked page by page, so a failure names the page that reached out.
        foreign = traffic.foreign()
        assert not foreign, f"{path} asked another origin for {foreign}"

    traffic.assert_same_origin()
    # The recorder saw every page and the stylesheet: an empty list of foreign requests
    # proves something.
    for path in pages:
        assert f"{live_server.url}{path}" in traffic.requests, path
    assert any(url.endswith(".css") for url in traffic.requests)
    assert traffic.failed_assets == []
    assert [msg for msg in traffic.console_errors if STATUS_MESSAGE not in msg] == []
