"""The open data page in Chromium: accessible, fits a phone, calls no other site."""

from __future__ import annotations

import pytest

from reclaim.atlas.models import Verification
from reclaim.atlas.tests.fixtures import *  # noqa: F403

PHONE = {"viewport": {"width": 390, "height": 844}}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.browser
def test_the_data_page_passes_the_accessibility_checks(page, axe, traffic, belgrade, make_device):
    make_device(belgrade, verification=Verification.CORROBORATED)
    page.goto("/en/atlas/data/")
    axe(page, "the open data page")
    page.goto("/fr/atlas/data/")
    axe(page, "the open data page in French")
    traffic.assert_same_origin()


@pytest.mark.browser
@pytest.mark.no_javascript
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_the_data_page_fits_a_phone_without_javascript(page, traffic, belgrade):
    for language in ("en", "de", "fr"):
        page.goto(f"/{language}/atlas/data/")
        assert page.evaluate(OVERFLOW) == 0, language
    traffic.assert_same_origin()
    assert not traffic.failed_assets
