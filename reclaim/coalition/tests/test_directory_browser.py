"""The directory in Chromium: it fits a phone and its filters work with JavaScript off."""

from __future__ import annotations

import pytest

from reclaim.coalition.models import Organisation
from reclaim.coalition.tests.fixtures_directory import *  # noqa: F403

PHONE = {"viewport": {"width": 390, "height": 844}}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.browser
@pytest.mark.no_javascript
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_the_directory_fits_a_phone_and_filters_without_javascript(
    page, traffic, make_organisation
):
    make_organisation(
        "Forum InformatikerInnen für Frieden und gesellschaftliche Verantwortung (FIfF)",
        tier=Organisation.Tier.LEAD,
    )
    make_organisation("Österreichische Gesellschaft", country="AT")
    make_organisation("Worldwide Network", country="", kind=Organisation.Kind.NETWORK)
    page.goto("/en/coalition/")
    assert page.evaluate(OVERFLOW) == 0
    page.select_option("#id_country", "international")
    page.click("button[type=submit]")
    assert "country=international" in page.url
    assert page.locator(".directory-list a").all_inner_texts() == ["Worldwide Network"]
    page.fill("#id_q", "osterreich")
    page.select_option("#id_country", "")
    page.click("button[type=submit]")
    assert page.locator(".directory-list a").all_inner_texts() == ["Österreichische Gesellschaft"]
    page.click("text=Österreichische Gesellschaft")
    assert page.locator("h1").inner_text() == "Österreichische Gesellschaft"
    assert page.evaluate(OVERFLOW) == 0
    traffic.assert_same_origin()
    assert not traffic.failed_assets


@pytest.mark.browser
def test_the_directory_passes_the_accessibility_checks(page, axe, listed, make_organisation):
    make_organisation("Another", tier=Organisation.Tier.SUPPORTER)
    page.goto("/en/coalition/?kind=nonsense")
    axe(page, "the coalition directory with a filter error")
    page.goto(f"/fr/coalition/{listed.slug}/")
    axe(page, "an organisation's page in a fallback language")
