"""The public ECI pages in a real browser: WCAG 2.2 AA by axe-core, and the checker with
JavaScript off."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reclaim.eci.models import CounterReading, Initiative, PaperBatch, Sponsor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = "/en/eci/ban-biometric"
# Share of each state's threshold a week ago and now: every shade of the map, two states
# over the line, and growth in the last seven days so the chart and projections appear.
PROGRESS = {
    "DE": (0.70, 0.90),
    "FR": (0.45, 0.60),
    "IT": (0.20, 0.30),
    "BE": (0.05, 0.10),
    "AT": (0.95, 1.10),
    "MT": (1.20, 1.50),
}

PHONE = {"viewport": {"width": 320, "height": 640}}
PHONE_PAGES = [
    f"{BASE}/",
    f"{BASE}/check/?nationality=DE&age=16",
    f"{BASE}/dashboard/",
    f"{BASE}/embed/",
    f"{BASE}/forms/",
    f"{BASE}/calendar/",
    f"{BASE}/sponsors/",
]


@pytest.fixture
def collecting(initiative: Initiative) -> Initiative:
    """The initiative with two register readings a week apart, counted paper and a sponsor."""
    now = timezone.now()
    thresholds = initiative.thresholds()
    for iso, shares in PROGRESS.items():
        for read_at, share in zip((now - timedelta(days=7, hours=1), now), shares, strict=True):
            CounterReading.objects.create(
                initiative=initiative,
                source=CounterReading.Source.REGISTER,
                country=iso,
                count=round(thresholds[iso] * share),
                read_at=read_at,
            )
    PaperBatch.objects.create(
        initiative=initiative,
        reference="DE-0001",
        partner="Digitalcourage",
        country="DE",
        sheets=30,
        statements=270,
        counted_at=now - timedelta(days=2),
    )
    Sponsor.objects.create(
        initiative=initiative,
        name="European Digital Rights",
        amount=Decimal("12500"),
        received_on=date(2025, 7, 1),
    )
    return initiative


def _open(page: Page, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, path


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        (f"{BASE}/", "Ban biometric mass surveillance in public spaces"),
        (f"{BASE}/check/?nationality=DE&age=16", "You can support this initiative"),
        (f"{BASE}/check/?nationality=FR&age=16", "You cannot support this initiative"),
        (f"{BASE}/check/?nationality=other&age=40", "You cannot support this initiative"),
        (f"{BASE}/dashboard/", "Progress by country"),
        (f"{BASE}/embed/?partner=edri", "Ban biometric mass surveillance in public spaces"),
        (f"{BASE}/forms/", "Paper forms for"),
        (f"{BASE}/calendar/", "Deadlines of"),
        (f"{BASE}/sponsors/", "Sponsors of"),
        ("/en/eci/", "European Citizens' Initiatives"),
    ],
    ids=[
        "checker",
        "eligible",
        "too-young",
        "not-eu",
        "dashboard",
        "embed",
        "forms",
        "calendar",
        "sponsors",
        "index",
    ],
)
def test_the_public_eci_pages_have_no_axe_violations(
    page: Page, collecting: Initiative, path: str, heading: str, axe: Any
) -> None:
    _open(page, path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    axe(page, path)


def test_the_checker_with_errors_has_no_axe_violations(
    page: Page, collecting: Initiative, axe: Any
) -> None:
    _open(page, f"{BASE}/")
    with page.expect_response(re.compile(r"/check/\?")) as answer:
        page.get_by_role("button", name="Check", exact=True).click()
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    expect(page.get_by_label("Your nationality")).to_have_attribute("aria-invalid", "true")
    axe(page, "the checker with errors")


def test_the_dashboard_axe_checks_has_its_map_chart_and_projections(
    page: Page, collecting: Initiative
) -> None:
    # The axe run on the dashboard is only worth something if the page had all its parts.
    _open(page, f"{BASE}/dashboard/")
    expect(
        page.get_by_role("img", name="Total statements and the leading member states")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Progress towards the threshold")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Malta"))).to_contain_text("over threshold")
    expect(page.locator("table.dashboard tbody")).to_contain_text("after the deadline")
    expect(page.get_by_role("row", name=re.compile("^Germany"))).to_contain_text("270")


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=["320px"])
def test_the_pages_fit_a_small_phone_without_scrolling_sideways(
    page: Page, collecting: Initiative, axe: Any
) -> None:
    """WCAG 1.4.10 (reflow), which axe does not test: at 320 CSS pixels only a wide table
    may scroll sideways, inside its own region, never the whole page."""
    for path in PHONE_PAGES:
        _open(page, path)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} is {widths[0]}px wide on a {widths[1]}px screen"
        axe(page, f"{path} on a phone")


@pytest.mark.no_javascript
def test_a_german_citizen_of_16_is_sent_to_the_signing_page_with_javascript_off(
    page: Page, collecting: Initiative
) -> None:
    _open(page, f"{BASE}/")
    page.get_by_label("Your nationality").select_option(label="Germany")
    page.get_by_label("Your age in years").fill("16")
    page.get_by_role("button", name="Check", exact=True).click()

    expect(page).to_have_url(re.compile(r"/en/eci/ban-biometric/check/\?nationality=DE&age=16"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You can support this initiative")
    expect(page.get_by_role("status")).to_contain_text("Your support counts for Germany")
    link = page.get_by_role("link", name="Go to the Commission's signing page")
    expect(link).to_have_attribute("href", collecting.signing_url)


@pytest.mark.no_javascript
def test_a_french_citizen_of_16_is_told_they_cannot_support_it_with_javascript_off(
    page: Page, collecting: Initiative
) -> None:
    _open(page, f"{BASE}/")
    page.get_by_label("Your nationality").select_option("FR")
    page.get_by_label("Your age in years").fill("16")
    page.get_by_role("button", name="Check", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot support this initiative")
    expect(page.get_by_role("status")).to_contain_text(
        "Citizens of France can support a European Citizens' Initiative from the age of 18."
    )
    expect(page.get_by_role("link", name="Go to the Commission's signing page")).to_have_count(0)
    # The way back keeps working without a script.
    page.get_by_role("link", name="Check again").click()
    expect(page.get_by_role("heading", level=2, name="Can I support it?")).to_be_visible()


def test_the_dashboard_and_embed_make_no_third_party_requests(
    page: Page, collecting: Initiative, traffic: Any
) -> None:
    for path in (f"{BASE}/dashboard/", f"{BASE}/embed/?partner=edri"):
        _open(page, path)
        page.wait_for_load_state("networkidle")

    traffic.assert_same_origin()
    # The recorder saw both pages and their stylesheet, so an empty list proves something.
    assert any(url.endswith("/dashboard/") for url in traffic.requests)
    assert any("/embed/" in url for url in traffic.requests)
    assert any(url.endswith(".css") for url in traffic.requests)
    assert traffic.failed_assets == []
    assert traffic.console_errors == []


# Every element of the page inside the viewport, and no cell whose text is cut: what a
# campaigner would see as a column cut off or hidden. Visually hidden text is clipped on
# purpose and skipped.
OVERFLOWS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let a = el; a; a = a.parentElement) {
      if (getComputedStyle(a).clip !== "auto") return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.querySelectorAll("main *")) {
    if (el.closest("svg") || clipped(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const cell = ["TD", "TH", "CAPTION"].includes(el.tagName);
    if (box.right > width + 1 || box.left < -1) {
      found.push(`${el.tagName}.${el.className} spans ${box.left}..${box.right} of ${width}`);
    } else if (cell && el.scrollWidth > el.clientWidth + 1) {
      found.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" is cut`);
    }
  }
  return found.slice(0, 10);
}"""


@pytest.mark.parametrize(
    "page",
    [{"viewport": {"width": 390, "height": 800}}, {"viewport": {"width": 1280, "height": 800}}],
    indirect=True,
    ids=["390px", "1280px"],
)
@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_the_eci_tables_fit_at_both_widths_in_every_language(
    page: Page, collecting: Initiative, organiser: Any, language: str, live_server: Any
) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(organiser)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    for name in ("dashboard", "organise", "organise/figures", "calendar", "forms", "sponsors"):
        path = f"/{language}/eci/ban-biometric/{name}/"
        _open(page, path)
        assert page.locator("table").count() >= 1, path
        assert page.evaluate(OVERFLOWS) == [], path
