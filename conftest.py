"""Fixtures shared by every app's tests. They live here, outside the installed package.

Personas and data
    ``organiser`` (alice), ``moderator`` (bob) and ``outsider`` (charlie, staff with no
    role); ``as_user(user)`` gives a client signed in past the second factor; ``keypair``
    (an active sealing key), ``petition`` and ``letter``.

Processes
    ``disk_cache`` switches Django's cache to the default without Redis (SQLite files on
    disk, shared by the processes of a machine) in a folder of the test's own;
    ``worker_processes(code)`` runs code at the same moment in two separate Python
    processes with the project's settings and that cache, as gunicorn's workers would.

A real browser
    ``page`` is a fresh page of Debian's Chromium (never one that Playwright downloads: the
    test run fetches nothing from the network) on pytest-django's live server, so
    ``page.goto("/en/")`` works. Every request is recorded in ``traffic``; one to another
    origin is recorded and aborted, so a test never reaches a third party.
    ``@pytest.mark.no_javascript`` runs the page with JavaScript off; other browser-context
    options come in through indirect parametrization::

        @pytest.mark.parametrize("page", [{"viewport": {"width": 390, "height": 844}}],
                                 indirect=True)
        def test_it_fits_a_phone(page): ...

    ``axe(page, "the petition page")`` runs axe-core (``npm ci`` at the repository root)
    on the page. Without Chromium or axe-core the tests are skipped, unless
    ``RECLAIM_REQUIRE_BROWSER=1`` is set (CI), in which case they fail: a privacy claim
    that silently stops being tested is worse than a red build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

from reclaim.lib.env import env_bool

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright, Response, Route

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts.roles import MODERATOR, ORGANISER, sync_roles
from reclaim.eci.models import Initiative
from reclaim.keyring.services import create_key
from reclaim.letters.models import Petition
from reclaim.lib.sealing import KeyPair

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each request activates its language and leaves it active in the thread: reset it so
    one test's German page cannot leak into the next test's assertions."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached counts live in the cache, the open petitions and the
    active key in the process cache: no test inherits another's."""
    from django.core.cache import cache

    from reclaim.lib.processcache import clear_all

    cache.clear()
    clear_all()
    yield
    cache.clear()
    clear_all()


@pytest.fixture
def passphrase() -> str:
    """The passphrase of the ``keypair`` fixture's private key file."""
    return PASSPHRASE


@pytest.fixture
def keypair(db: Any) -> KeyPair:
    return create_key("European Digital Rights (EDRi)", PASSPHRASE, actor="test")


@pytest.fixture
def petition(keypair: KeyPair) -> Petition:
    return Petition.objects.create(
        slug="ban",
        title="Ban biometric mass surveillance",
        text="First paragraph.\n\nSecond paragraph.",
        goal=100,
        milestones=[2, 50],
        status=Petition.Status.OPEN,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=60),
        retention_days=30,
    )


@pytest.fixture
def letter(keypair: KeyPair) -> Petition:
    return Petition.objects.create(
        kind=Petition.Kind.LETTER,
        slug="letter",
        title="Will you stand up for our rights?",
        text="Dear Members of the European Parliament,\n\nPlease act.",
        recipients="Members of the European Parliament",
        status=Petition.Status.OPEN,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=60),
    )


@pytest.fixture
def initiative(db: Any) -> Initiative:
    """A citizens' initiative on the 2024 threshold table, collecting."""
    return Initiative.objects.create(
        slug="ban-biometric",
        registration_number="ECI(2025)000004",
        registered_on=date(2025, 3, 12),
        title="Ban biometric mass surveillance in public spaces",
        objectives="We ask the Commission to propose a ban.",
        register_url="https://register.eci.ec.europa.eu/core/initiative/2025/000004",
        signing_url="https://eci.ec.europa.eu/050/public/?lg=en",
        signing_links={"de": "https://eci.ec.europa.eu/050/public/?lg=de"},
        collection_start=date(2025, 6, 1),
        collection_end=date(2026, 5, 31),
        status=Initiative.Status.COLLECTING,
    )


def _staff(username: str, role: str | None) -> User:
    sync_roles()
    user = User.objects.create_user(username, password="pw-" + username, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def organiser(db: Any) -> User:
    """alice: runs the campaign."""
    return _staff("alice", ORGANISER)


@pytest.fixture
def moderator(db: Any) -> User:
    """bob: moderates names and organisations."""
    return _staff("bob", MODERATOR)


@pytest.fixture
def outsider(db: Any) -> User:
    """charlie: a staff account with no role."""
    return _staff("charlie", None)


@pytest.fixture
def as_user() -> Any:
    """A client signed in as the user, past the second factor: the user gets a confirmed
    TOTP device and the session is marked verified, as after entering a right code, so
    staff tests pass whether or not RECLAIM["REQUIRE_2FA"] is on."""

    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login


# --- Processes -------------------------------------------------------------------

# What each worker process runs: Django set up with the project's settings as outside the
# tests, then, once every worker is ready, the test's code, which leaves a JSON-able value
# in ``result``.
_WORKER = """
import json, sys, time
from pathlib import Path
import django
django.setup()
print("ready", flush=True)
gate = Path(sys.argv[1])
while not gate.exists():
    time.sleep(0.001)
result = None
exec(sys.argv[2])
print(json.dumps(result), flush=True)
"""
WORKER_TIMEOUT = 120


@pytest.fixture
def disk_cache(settings: Any, tmp_path: Path) -> Iterator[str]:
    """The cache of a site without Redis (``settings.DISK_CACHE``), in this test's folder."""
    from django.core.cache import cache

    directory = str(tmp_path / "cache")
    settings.CACHES = {**settings.CACHES, "default": {**settings.DISK_CACHE, "LOCATION": directory}}
    yield directory
    cache.clear()


@pytest.fixture
def worker_processes(disk_cache: str, settings: Any, tmp_path: Path) -> Callable[..., list[Any]]:
    """``run(code, count=2)``: run ``code`` in ``count`` separate Python processes at once,
    and return the ``result`` each one left, in order.

    Each process starts Django with ``reclaim.settings`` outside the tests: no Redis, so the
    default disk cache, in the folder of ``disk_cache`` (which this test's own process uses
    too) and with this test's secret keys, so that keyed hashes agree. The processes start
    their code together, after all of them are ready, so that their writes interleave.
    """
    runs = iter(range(1_000))

    def run(code: str, count: int = 2) -> list[Any]:
        gate = tmp_path / f"go-{next(runs)}"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "PYTEST_CURRENT_TEST", ASYNC_UNSAFE}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="reclaim.settings",
            RECLAIM_CACHE_DIR=disk_cache,
            RECLAIM_SECRET_KEY=settings.SECRET_KEY,
            RECLAIM_EMAIL_HASH_KEY=settings.EMAIL_HASH_KEY,
        )
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", _WORKER, str(gate), code],
                cwd=REPO_ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(count)
        ]
        try:
            for process in processes:
                assert process.stdout is not None
                if process.stdout.readline() != "ready\n":
                    _out, err = process.communicate(timeout=WORKER_TIMEOUT)
                    pytest.fail(f"a worker process did not start:\n{err}", pytrace=False)
            gate.touch()
            results = []
            for process in processes:
                out, err = process.communicate(timeout=WORKER_TIMEOUT)
                assert process.returncode == 0, err
                results.append(json.loads(out))
            return results
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()

    return run


# --- A real browser ------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Schemes that never leave the browser: inline images, the blank page a tab starts on.
LOCAL_SCHEMES = {"data", "about", "blob"}
# The live server answers in milliseconds: a ten-second wait means something is broken.
TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# This file sits at the repository root, where package.json lives.
REPO_ROOT = Path(__file__).resolve().parent
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The level we promise: WCAG 2.2 AA, which includes the A and AA rules of 2.0 and 2.1.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Selectors of this many offending elements per rule are enough to find the rest.
AXE_TARGETS_SHOWN = 3
# axe.run() is asynchronous and paced by timers. ``page.evaluate`` would wait forever for
# it on a page whose scripts are off (timers never fire there), so it is started here and
# waited for with ``wait_for_function``, which times out.
AXE_START = """(tags) => {
    window.__reclaimAxe = undefined;
    axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
        .then(results => ({
            passes: results.passes.length,
            violations: results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                count: v.nodes.length,
                targets: v.nodes.map(n => n.target.join(" ")),
            })),
        }), error => ({error: String(error)}))
        .then(summary => { window.__reclaimAxe = summary; });
}"""
AXE_TIMER_PROBE = (
    "() => { window.__reclaimTick = false; setTimeout(() => { window.__reclaimTick = true; }); }"
)
AXE_TIMEOUT_MS = 60_000


def _unavailable(
    reason: str, hint: str = "install it with `apt-get install chromium` to run browser tests"
) -> NoReturn:
    if env_bool("RECLAIM_REQUIRE_BROWSER"):
        pytest.fail(f"{reason}, and RECLAIM_REQUIRE_BROWSER is set", pytrace=False)
    pytest.skip(f"{reason}: {hint}")


@cache
def _axe_source() -> str:
    if not AXE.exists():
        _unavailable(
            f"{AXE.relative_to(REPO_ROOT)} is missing",
            "run `npm ci` in the repository root to run the accessibility checks",
        )
    return AXE.read_text(encoding="utf-8")


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

    def foreign(self) -> list[str]:
        """The requests that left the origin (none may, by invariant 1)."""
        return [url for url in self.requests if not is_same_origin(url, self.origin)]

    def assert_same_origin(self) -> None:
        assert_no_third_party_requests(self.requests, self.origin)


def _assert_no_axe_violations(page: Page, context_label: str) -> None:
    """Fail, listing each broken rule, if axe-core finds a WCAG 2.2 AA violation on the page.

    The script goes in through ``page.evaluate``, which the page's Content-Security-Policy
    does not govern (a ``<script>`` tag would be refused by ``script-src 'self'``), so the
    page is checked as it is served. axe needs the page's timers, so the page must have
    JavaScript on: check a page that works without it in a second test that has it on.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate(AXE_TIMER_PROBE)
    try:
        page.wait_for_function("() => window.__reclaimTick", timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        pytest.fail(
            f"cannot run axe on {context_label}: the page's timers do not run, which means "
            "JavaScript is off in its context; check the page again with JavaScript on",
            pytrace=False,
        )
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(_axe_source())
    page.evaluate(AXE_START, AXE_TAGS)
    results = page.wait_for_function(
        "() => window.__reclaimAxe", timeout=AXE_TIMEOUT_MS
    ).json_value()
    assert "error" not in results, f"axe failed on {context_label}: {results['error']}"
    # axe that ran no rule (wrong tags, a page that is not HTML) would pass vacuously.
    assert results["passes"] or results["violations"], f"axe checked nothing on {context_label}"
    violations = results["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} accessibility rule(s) broken on {context_label} ({page.url}):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']}"
            f" ({violation['count']} element(s))"
        )
        lines += [f"    {target}" for target in violation["targets"][:AXE_TARGETS_SHOWN]]
    pytest.fail("\n".join(lines), pytrace=False)


class _SharedChromium:
    """One Chromium per test process, however many modules import the fixture.

    pytest makes a separate session fixture for each module that imports it, and
    Playwright's sync API cannot start twice in one thread, so the fixtures share this:
    the first to ask launches, the last to finish closes.
    """

    def __init__(self) -> None:
        self.users = 0
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.previous_async_unsafe: str | None = None

    def acquire(self) -> Browser:
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            # Playwright's sync API keeps an event loop running in this thread until it
            # stops, and Django refuses ORM calls while one runs. Tests call the ORM between
            # browser steps, never from inside the loop, so the guard is lifted for as long
            # as Playwright runs (for every test in that time, browser or not), then put back.
            self.previous_async_unsafe = os.environ.get(ASYNC_UNSAFE)
            os.environ[ASYNC_UNSAFE] = "true"
            try:
                self.playwright = sync_playwright().start()
                self.browser = self.playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
            except BaseException:
                self._stop()
                raise
        self.users += 1
        return self.browser

    def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            self._stop()

    def _stop(self) -> None:
        try:
            if self.browser is not None:
                self.browser.close()
            if self.playwright is not None:
                self.playwright.stop()
        finally:
            self.browser = self.playwright = None
            if self.previous_async_unsafe is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = self.previous_async_unsafe


_chromium = _SharedChromium()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed")
    browser = _chromium.acquire()
    try:
        yield browser
    finally:
        _chromium.release()


@pytest.fixture
def traffic(live_server: Any) -> Traffic:
    return Traffic(origin=live_server.url)


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, traffic: Traffic
) -> Iterator[Page]:
    """A fresh page in its own context (no cookies from other tests), on the live server.

    Relative addresses resolve against the live server, so ``page.goto("/en/")`` works.
    Every request is recorded in ``traffic``; one to another origin is recorded and then
    aborted, so a test never waits on the network and never reaches a third party.
    """
    options: dict[str, Any] = {"java_script_enabled": True, "locale": "en-GB"}
    if request.node.get_closest_marker("no_javascript"):
        options["java_script_enabled"] = False
    options |= getattr(request, "param", {})
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)

    def keep_local(route: Route) -> None:
        if is_same_origin(route.request.url, traffic.origin):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.on("request", lambda sent: traffic.requests.append(sent.url))

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            traffic.failed_assets.append((response.status, response.url))

    context.on("response", on_response)
    context.route("**/*", keep_local)
    new_page = context.new_page()
    new_page.on(
        "console",
        lambda msg: traffic.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    yield new_page
    context.close()


@pytest.fixture
def axe() -> Any:
    """``axe(page, "what this page is")``: fail, listing each broken rule, if axe-core
    finds a WCAG 2.2 AA violation on the page as it stands."""
    return _assert_no_axe_violations
