"""Fixtures for tests that drive a real browser against pytest-django's live server.

Import them explicitly in a test module, because pytest allows ``pytest_plugins`` only in
the root conftest::

    from reclaim.lib.testing.browser import browser, page, traffic  # noqa: F401

The browser is Debian's Chromium, never one that Playwright downloads: the test run must
not fetch anything from the network. Without it the tests are skipped, unless
``RECLAIM_REQUIRE_BROWSER=1`` is set (CI), in which case they fail: a privacy claim that
silently stops being tested is worse than a red build.

A test runs with JavaScript on; to run one without, override ``javascript_enabled``::

    @pytest.mark.parametrize("javascript_enabled", [False], ids=["no-js"])
    def test_it_works_without_javascript(page): ...
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from reclaim.lib.env import env_bool

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Schemes that never leave the browser: inline images, the blank page a tab starts on.
LOCAL_SCHEMES = {"data", "about", "blob"}
# Seconds; a page on the live server answers in milliseconds, so a wait this long is a bug.
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    if env_bool("RECLAIM_REQUIRE_BROWSER"):
        pytest.fail(f"{reason}, and RECLAIM_REQUIRE_BROWSER is set", pytrace=False)
    pytest.skip(f"{reason}: install it with `apt-get install chromium` to run browser tests")


def origin_of(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname or "", parts.port


def is_same_origin(url: str, origin: str) -> bool:
    """True for a request that stays on ``origin`` or never leaves the browser.

    Compares scheme, host and port, so ``http://localhost:8000.evil.example`` does not pass
    for ``http://localhost:8000`` as a prefix test would let it.
    """
    if urlsplit(url).scheme in LOCAL_SCHEMES:
        return True
    return origin_of(url) == origin_of(origin)


def assert_no_third_party_requests(urls: list[str], origin: str) -> None:
    """PRODUCT.md invariant 1: no page makes a request to a third party by default."""
    foreign = [url for url in urls if not is_same_origin(url, origin)]
    assert not foreign, f"requests left {origin}: {foreign}"


@dataclass
class Traffic:
    """What the pages of one test asked for, in order."""

    origin: str
    requests: list[str] = field(default_factory=list)
    # Stylesheets, scripts, images... that failed, as (status, url). Pages are left out:
    # a form with errors is rightly answered with a 400.
    failed_assets: list[tuple[int, str]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def assert_same_origin(self) -> None:
        assert_no_third_party_requests(self.requests, self.origin)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    # while one runs. The tests call the ORM only between browser steps, never from inside
    # the loop, so the guard would only get in the way here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def javascript_enabled() -> bool:
    return True


@pytest.fixture
def traffic(live_server: Any) -> Traffic:
    return Traffic(origin=live_server.url)


@pytest.fixture
def page(
    browser: Browser, live_server: Any, javascript_enabled: bool, traffic: Traffic
) -> Iterator[Page]:
    """A fresh page in its own context (no cookies from other tests), on the live server.

    Relative addresses resolve against the live server, so ``page.goto("/en/")`` works.
    Every request is recorded in ``traffic``; one to another origin is recorded and then
    aborted, so a test never waits on the network and never reaches a third party.
    """
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript_enabled, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)

    def route(route: Route) -> None:
        if is_same_origin(route.request.url, traffic.origin):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.on("request", lambda request: traffic.requests.append(request.url))
    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            traffic.failed_assets.append((response.status, response.url))

    context.on("response", on_response)
    context.route("**/*", route)
    new_page = context.new_page()
    new_page.on(
        "console", lambda msg: traffic.console_errors.append(msg.text) if msg.type == "error" else None
    )
    yield new_page
    context.close()
