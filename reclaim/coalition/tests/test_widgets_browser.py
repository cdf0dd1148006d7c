"""A widget in a partner's page, in a real browser: the partner's page is on another origin
(127.0.0.1 against the live server's localhost), frames the widget, cannot read it, and
resizes it with our script; a visitor signs through it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from reclaim.coalition.models import Widget
from reclaim.coalition.services.widgets import ensure_widgets, set_allowed_hosts
from reclaim.coalition.tests.fixtures_widgets import *  # noqa: F403
from reclaim.letters.models import Signature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIAL_HEIGHT = 150
HOST_PAGE = """<!doctype html><html lang="en"><head><title>Partner</title></head><body>
<h1>Our partner's campaign page</h1>
<iframe src="{src}" title="Sign the petition" width="100%" height="{height}" loading="lazy"
 referrerpolicy="no-referrer"></iframe>
<script src="{script}" async></script>
</body></html>"""


class PartnerSite:
    """The partner's site: a server of its own on 127.0.0.1 (the live server is on
    localhost), so another origin, and still a secure context (so the widget's browser
    sealing runs, as on https). A real local server rather than a page the test fulfils:
    Chromium refuses a page that came from nowhere access to loopback addresses."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def partner_site() -> Iterator[PartnerSite]:
    site = PartnerSite()
    yield site
    site.close()


def open_partner_page(page: Page, live_server: Any, partner: PartnerSite, widget: Widget) -> None:
    assert urlsplit(live_server.url).hostname == "localhost"
    partner.html = HOST_PAGE.format(
        src=f"{live_server.url}/en/coalition/widgets/{widget.key}/",
        script=f"{live_server.url}/static/coalition/widget-resize.js",
        height=INITIAL_HEIGHT,
    )
    url = partner.origin + "/campaign/"
    # The page fixture keeps the browser on the live server's origin; this one other local
    # origin is let through.
    page.route(f"{partner.origin}/**", lambda route: route.continue_())
    page.goto(url)


def frame_height(page: Page) -> float:
    return page.evaluate("() => document.querySelector('iframe').clientHeight")


def test_a_visitor_signs_through_a_widget_on_a_partners_site(
    page: Page,
    live_server: Any,
    partner_site: PartnerSite,
    petition: Any,
    member: Any,
    settings: Any,
    mailoutbox: Any,
) -> None:
    settings.BASE_URL = live_server.url
    ensure_widgets(member)
    widget = Widget.objects.get(petition=petition)
    open_partner_page(page, live_server, partner_site, widget)

    # Our script fits the frame to the widget's content.
    page.wait_for_function(
        f"() => document.querySelector('iframe').clientHeight > {INITIAL_HEIGHT}"
    )
    tall = frame_height(page)
    assert tall > 600

    # The partner's page cannot read the form: the frame is another origin.
    assert page.evaluate(
        """() => {
            const frame = document.querySelector('iframe');
            try { return frame.contentDocument === null; } catch (error) { return true; }
        }"""
    )
    assert page.evaluate(
        """() => {
            try { document.querySelector('iframe').contentWindow.document.body; return false; }
            catch (error) { return true; }
        }"""
    )

    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", level=1)).to_have_text(petition.title)
    frame.get_by_label("Full name").fill("Ada Lovelace")
    frame.get_by_label("Email address").fill("ada@example.org")
    frame.get_by_label("Country").select_option("DE")
    frame.get_by_role("button", name="Sign", exact=True).click()
    expect(frame.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    signature = Signature.objects.get()
    assert signature.widget_key == widget.key
    assert b"Ada Lovelace" not in bytes(signature.sealed)
    assert len(mailoutbox) == 1

    # The shorter page shrinks the frame again.
    page.wait_for_function(f"() => document.querySelector('iframe').clientHeight < {tall}")
    # Neither the widget nor the partner's page left a cookie or anything stored.
    state = page.context.storage_state()
    assert state["cookies"] == []
    assert all(not origin.get("localStorage") for origin in state["origins"])


def test_a_widget_restricted_to_other_sites_is_not_shown_on_this_one(
    page: Page,
    live_server: Any,
    partner_site: PartnerSite,
    petition: Any,
    member: Any,
    organiser: Any,
) -> None:
    ensure_widgets(member)
    widget = Widget.objects.get(petition=petition)
    set_allowed_hosts(widget, "https://partner.example", organiser)
    open_partner_page(page, live_server, partner_site, widget)
    page.wait_for_timeout(500)
    # The browser refuses to render it (frame-ancestors), so the frame never resizes.
    assert frame_height(page) == INITIAL_HEIGHT
    inner = [f for f in page.frames if f.url.startswith(live_server.url)]
    assert not inner or inner[0].evaluate("() => document.title").find("reclaim") == -1

    # Listed, the partner's origin may frame it.
    set_allowed_hosts(widget, partner_site.origin, organiser)
    open_partner_page(page, live_server, partner_site, widget)
    page.wait_for_function(
        f"() => document.querySelector('iframe').clientHeight > {INITIAL_HEIGHT}"
    )


def test_the_widgets_pass_the_accessibility_checks(
    page: Page, axe: Any, petition: Any, initiative: Any, member: Any
) -> None:
    ensure_widgets(member)
    for widget in Widget.objects.all():
        page.goto(f"/en/coalition/widgets/{widget.key}/")
        axe(page, f"the {widget.target} widget")
    page.goto("/en/coalition/widgets/NoSuchWidget/")
    axe(page, "the page of a widget that is gone")
