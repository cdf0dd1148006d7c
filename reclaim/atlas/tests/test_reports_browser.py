"""The report form in Chromium: the map fills in the coordinates, the form is accessible,
fits a phone, works without JavaScript, and calls no other site."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from reclaim.atlas.models import Report
from reclaim.atlas.tests.fixtures import *  # noqa: F403

PHONE = {"viewport": {"width": 390, "height": 844}}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_clicking_the_map_fills_in_the_coordinates_and_the_report_is_filed(
    page: Any, axe: Any, traffic: Any
):
    page.goto("/en/atlas/report/")
    page.wait_for_selector("#report-map.leaflet-container")
    axe(page, "the report form")
    page.locator("#report-map").click(position={"x": 200, "y": 120})
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert -90 <= latitude <= 90 and -180 <= longitude <= 180
    page.fill("#id_description", "A camera on the corner of the square.")
    page.fill("#id_seen_on", (timezone.localdate() - timedelta(days=1)).isoformat())
    page.click("button[type=submit]")
    page.wait_for_url("**/atlas/report/sent/")
    axe(page, "the page after a report")
    report = Report.objects.get()
    assert (report.latitude, report.longitude) == (
        pytest.approx(latitude, abs=1e-6),
        pytest.approx(longitude, abs=1e-6),
    )
    traffic.assert_same_origin()
    assert not traffic.failed_assets


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.no_javascript
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_the_form_fits_a_phone_and_works_without_javascript(page: Any, traffic: Any):
    for language in ("en", "de", "fr"):
        page.goto(f"/{language}/atlas/report/")
        assert page.evaluate(OVERFLOW) == 0, language
    page.goto("/en/atlas/report/")
    assert not page.is_visible("#report-map")
    page.fill("#id_latitude", "95")
    page.fill("#id_longitude", "20.4")
    page.fill("#id_description", "A camera.")
    page.click("button[type=submit]")
    assert "The latitude is a number from −90 to 90" in page.content()
    assert page.evaluate(OVERFLOW) == 0
    page.fill("#id_latitude", "44.81")
    page.fill("#id_seen_on", timezone.localdate().isoformat())
    page.click("button[type=submit]")
    page.wait_for_url("**/atlas/report/sent/")
    assert Report.objects.get().latitude == 44.81
    traffic.assert_same_origin()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_the_errors_and_the_recheck_form_pass_the_accessibility_checks(
    page: Any, axe: Any, traffic: Any, make_device: Any
):
    page.goto("/en/atlas/report/")
    page.fill("#id_latitude", "95")
    page.click("button[type=submit]")
    assert "Please correct the following:" in page.content()
    assert page.evaluate(OVERFLOW) == 0
    axe(page, "the report form with errors")
    device = make_device()
    page.goto(f"/en/atlas/report/?device={device.pk}")
    assert page.evaluate(OVERFLOW) == 0
    axe(page, "the re-check form")
    page.check("#id_found_0")
    page.click("button[type=submit]")
    page.wait_for_url("**/atlas/report/sent/")
    assert Report.objects.get().found == Report.Found.STILL_THERE
    traffic.assert_same_origin()
