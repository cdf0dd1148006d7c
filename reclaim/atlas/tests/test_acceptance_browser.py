"""The atlas from end to end in Chromium, as issue 14 asks: a person with no account files a
report with a photo (with JavaScript on, and off), and three reviewers, each signed in in
turn, take it to "corroborated". The photo's GPS position and camera serial are nowhere
in what is stored or served, and nothing is fetched from another site on the way."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.utils import timezone

from reclaim.atlas.models import Agreement, Device, Photo, Report, Verification
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures_reports import jpeg_with_metadata, secrets_in
from reclaim.atlas.tests.review_helpers import queue_url, record_url

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "A dome camera above the tram stop, pointed at the crossing."


def _sign_in_as(page: Page, user: Any, as_user: Any, live_server: Any) -> None:
    """The page's browser now holds this user's session, and no one else's."""
    page.context.clear_cookies()
    session = as_user(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def _file_report(page: Page, javascript: bool) -> Report:
    page.goto("/en/atlas/report/")
    if javascript:
        page.wait_for_selector("#report-map.leaflet-container")
        page.locator("#report-map").click(position={"x": 220, "y": 140})
        assert page.input_value("#id_latitude") and page.input_value("#id_longitude")
    else:
        assert not page.is_visible("#report-map")
        page.fill("#id_latitude", "44.80295")
        page.fill("#id_longitude", "20.46745")
    page.fill("#id_description", DESCRIPTION)
    page.fill("#id_city", "Belgrade")
    page.fill("#id_seen_on", (timezone.localdate() - timedelta(days=2)).isoformat())
    page.set_input_files(
        "#id_photos",
        files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_metadata()}],
    )
    page.click("form button[type=submit]")
    page.wait_for_url("**/atlas/report/sent/")
    report = Report.objects.get()
    assert report.state == Report.State.PENDING
    assert report.description == DESCRIPTION
    # Nothing is public before a review.
    page.goto("/en/atlas/list/?kind=devices")
    assert DESCRIPTION not in page.content()
    return report


def _walk_through_three_reviewers(
    page: Page, report: Report, reviewers: Any, as_user: Any, live_server: Any
) -> Device:
    dana, emil, fatima = reviewers
    # The first reviewer accepts the report; that is their own "confirm" vote.
    _sign_in_as(page, dana, as_user, live_server)
    page.goto(queue_url())
    page.get_by_role("link", name=f"Review this report #{report.pk}").click()
    page.get_by_role("button", name="Accept the report").click()
    device = Device.objects.get()
    page.wait_for_url(f"**{record_url(device)}")
    assert "The report was accepted." in page.content()
    device.refresh_from_db()
    assert device.verification == Verification.REPORTED
    assert (device.votes_for, device.votes_total) == (1, 1)

    # Two more, each on their own, without seeing the others' votes first.
    for reviewer in (emil, fatima):
        _sign_in_as(page, reviewer, as_user, live_server)
        page.goto(record_url(device))
        before = page.content()
        assert "confirms it (" not in before and "confirm it (" not in before
        page.get_by_label("It is there and the record is right").check()
        page.get_by_role("button", name="Vote").click()
        page.wait_for_load_state()
        assert "You voted on" in page.content()
    device.refresh_from_db()
    assert device.verification == Verification.CORROBORATED
    assert device.agreement == Agreement.UNANIMOUS
    assert (device.votes_for, device.votes_total) == (3, 3)
    return device


def _public_page_shows_it(page: Page, device: Device) -> None:
    page.context.clear_cookies()
    page.goto(f"/en/atlas/devices/{device.pk}/")
    text = page.inner_text("main")
    assert "Corroborated" in text
    assert "unanimous" in text.lower()
    photo = Photo.objects.get(device=device)
    assert secrets_in(bytes(photo.content)) == []
    served = page.request.get(page.locator("main img").first.get_attribute("src") or "")
    assert served.status == 200
    assert secrets_in(served.body()) == []


def test_an_anonymous_report_with_a_photo_is_corroborated_by_three_reviewers(
    page: Page, traffic: Any, reviewers: Any, as_user: Any, live_server: Any
) -> None:
    report = _file_report(page, javascript=True)
    device = _walk_through_three_reviewers(page, report, reviewers, as_user, live_server)
    _public_page_shows_it(page, device)
    traffic.assert_same_origin()
    assert not traffic.failed_assets


@pytest.mark.no_javascript
def test_the_same_works_with_javascript_off(
    page: Page, traffic: Any, reviewers: Any, as_user: Any, live_server: Any
) -> None:
    report = _file_report(page, javascript=False)
    device = _walk_through_three_reviewers(page, report, reviewers, as_user, live_server)
    assert (device.latitude, device.longitude) == (44.80295, 20.46745)
    _public_page_shows_it(page, device)
    traffic.assert_same_origin()
