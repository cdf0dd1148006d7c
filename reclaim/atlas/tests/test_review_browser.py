"""The review pages in Chromium: they fit a phone and a desktop, pass axe-core, and a
report is accepted there by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings

from reclaim.atlas.models import Device, Evidence, Report
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.review_helpers import (
    add_photo,
    make_report,
    queue_url,
    record_url,
    report_url,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.django_db(transaction=True)

# What sticks out of the viewport sideways (a page that fits a phone has nothing here).
OVERFLOWS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("main *")) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) {
      found.push(`${el.tagName}.${el.className} spans ${box.left}..${box.right} of ${width}`);
    }
  }
  return found.slice(0, 10);
}"""


def _sign_in(page: Page, user: Any, as_user: Any, live_server: Any) -> None:
    client = as_user(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize(
    "page",
    [{"viewport": {"width": 390, "height": 844}}, {"viewport": {"width": 1280, "height": 800}}],
    indirect=True,
    ids=["390px", "1280px"],
)
def test_the_review_pages_fit_and_pass_the_accessibility_checks(
    page: Page,
    axe: Any,
    traffic: Any,
    organiser: Any,
    as_user: Any,
    live_server: Any,
    belgrade: Any,
    make_device: Any,
) -> None:
    device = make_device(belgrade, model="A very long model name " * 4)
    Evidence.objects.create(
        device=device,
        claim="existence",
        kind=Evidence.Kind.FOI_ANSWER,
        title="The ministry's answer",
        url="https://example.org/a/very/long/address/that/goes/on/and/on/" + "x" * 80,
    )
    device_report = make_report(description="Two cameras " * 40)
    add_photo(device_report)
    make_report(Report.Kind.RECHECK, device=device, found="changed")
    make_report(Report.Kind.DEPLOYMENT)
    _sign_in(page, organiser, as_user, live_server)
    paths = [queue_url(), record_url(device), record_url(belgrade)] + [
        report_url(report) for report in Report.objects.all()
    ]
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.evaluate(OVERFLOWS) == [], path
        axe(page, path)
    traffic.assert_same_origin()


def test_a_reviewer_accepts_a_report_by_hand(
    page: Page, make_reviewer: Any, as_user: Any, live_server: Any
) -> None:
    dana = make_reviewer("dana")
    report = make_report(latitude=None, longitude=None)
    _sign_in(page, dana, as_user, live_server)
    page.goto(queue_url())
    page.get_by_role("link", name=f"Review this report #{report.pk}").click()
    page.get_by_label("Latitude").fill("44.8176")
    page.get_by_label("Longitude").fill("20.4569")
    page.get_by_role("button", name="Accept the report").click()
    page.wait_for_url(f"**{record_url(Device.objects.get())}")
    assert "The report was accepted." in page.content()
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
