"""The map in Chromium: nothing leaves our origin until the street-map button is pressed,
then only tiles from tile.openstreetmap.org; clusters and markers work with the keyboard;
the page passes axe and fits a phone."""

from __future__ import annotations

import re

import pytest

from reclaim.atlas.tests.fixtures import *  # noqa: F403

PHONE = {"viewport": {"width": 390, "height": 844}}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
TILES = re.compile(r"^https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png$")
BUTTON = re.compile("Show street map")


@pytest.fixture
def mapped(belgrade, make_device, make_deployment):
    for n in range(12):
        make_device(belgrade, latitude=44.80 + 0.002 * n, longitude=20.44 + 0.003 * n)
    make_device(None, latitude=48.85, longitude=2.35, place="Gare du Nord")
    make_deployment(name="School pilot", slug="school-pilot", latitude=45.25, longitude=19.84)
    return belgrade


@pytest.mark.browser
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_no_request_leaves_our_origin_until_the_tiles_button_is_pressed(page, traffic, mapped):
    page.goto("/en/atlas/")
    page.locator(".atlas-cluster").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert traffic.foreign() == []
    assert any("/atlas/clusters.json?" in url for url in traffic.requests)
    assert any("/static/atlas/world.geojson" in url for url in traffic.requests)

    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_function("() => document.querySelector('.leaflet-tile-pane img') !== null")
    page.wait_for_timeout(300)
    foreign = traffic.foreign()
    assert foreign, "pressing the button asked for no tiles"
    assert all(TILES.match(url) for url in foreign), foreign
    assert page.get_by_role("button", name="Hide the street map").is_visible()
    # Remembered for this tab's session only: in sessionStorage, in no cookie.
    assert page.evaluate("sessionStorage.getItem('reclaim-atlas-tiles')") == "1"
    assert page.evaluate("localStorage.length") == 0
    assert page.context.cookies() == []


@pytest.mark.browser
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_the_choice_lasts_the_session_and_can_be_undone(page, traffic, mapped):
    page.goto("/en/atlas/")
    page.get_by_role("button", name=BUTTON).click()
    page.reload()
    page.wait_for_function("() => document.querySelector('.leaflet-tile-pane img') !== null")
    page.get_by_role("button", name="Hide the street map").click()
    assert page.evaluate("sessionStorage.getItem('reclaim-atlas-tiles')") is None
    before = len(traffic.foreign())
    page.reload()
    page.locator(".atlas-cluster").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert len(traffic.foreign()) == before


@pytest.mark.browser
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_clusters_and_markers_work_with_the_keyboard(page, traffic, mapped):
    page.goto("/en/atlas/")
    cluster = page.get_by_role("button", name=re.compile(r"^12 devices here"))
    cluster.wait_for()
    cluster.focus()
    page.keyboard.press("Enter")
    # Zoomed in: the cluster of 12 splits, and sooner or later single devices are links.
    for _step in range(8):
        page.wait_for_load_state("networkidle")
        if page.locator("a.atlas-device").count():
            break
        page.locator(".atlas-cluster").first.focus()
        page.keyboard.press("Enter")
    device = page.locator("a.atlas-device").first
    device.wait_for()
    assert re.match(r"^Device \d+ \(Reported\)$", device.get_attribute("aria-label") or "")
    device.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/atlas/devices/\d+/$"))
    assert traffic.foreign() == []


@pytest.mark.browser
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_the_map_page_passes_the_accessibility_checks(page, axe, traffic, mapped):
    page.goto("/en/atlas/")
    page.locator(".atlas-cluster").first.wait_for()
    axe(page, "the map page")
    page.goto("/de/atlas/?capability=face")
    page.locator(".atlas-cluster").first.wait_for()
    axe(page, "the filtered map page in German")
    assert traffic.foreign() == []


@pytest.mark.browser
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_the_map_page_fits_a_phone(page, axe, traffic, mapped):
    for language in ("en", "de", "fr"):
        page.goto(f"/{language}/atlas/")
        page.locator(".atlas-cluster").first.wait_for()
        assert page.evaluate(OVERFLOW) == 0, language
    axe(page, "the map page on a phone")
    assert page.locator("#atlas-map").bounding_box()["width"] <= 390
    assert traffic.foreign() == []
    assert not traffic.failed_assets


@pytest.mark.browser
@pytest.mark.no_javascript
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_without_javascript_the_list_and_the_deployments_remain(page, traffic, mapped):
    page.goto("/en/atlas/")
    assert not page.locator("#atlas-map").is_visible()
    assert not page.get_by_role("button", name=BUTTON).is_visible()
    page.get_by_role("link", name="All devices as a list").click()
    page.wait_for_url(re.compile(r"/en/atlas/list/\?kind=devices$"))
    page.go_back()
    assert page.get_by_role("link", name="Safe City Belgrade").is_visible()
    page.get_by_label("Capability").select_option("plate")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(re.compile(r"capability=plate"))
    assert page.get_by_text("No deployment matches these filters.").is_visible()
    assert page.evaluate(OVERFLOW) == 0
    assert traffic.foreign() == []
