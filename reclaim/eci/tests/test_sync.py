"""Reading the Commission's counters, against a local server that answers as they do.

Nothing here reaches the internet: every request httpx makes is checked to go to the local
server, and the server counts what it was asked.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from django.utils import timezone, translation

from reclaim.core.hooks import JOBS
from reclaim.eci import figures, rules, sync
from reclaim.eci.models import CounterReading, Initiative, RejectedReading, SyncStatus
from reclaim.eci.sync.checks import population

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")

PROGRESSION = {"signatureCount": 12345, "goal": 1000000}
REGISTER = {
    "status": "ONGOING",
    "deadline": "10/01/2026",
    "linguisticVersions": [
        {"languageCode": "EN", "supportLink": "https://eci.ec.europa.eu/045/public/?lg=en"}
    ],
    "progress": [{"status": "REGISTERED", "date": "10/01/2025"}],
    "sosReport": {
        "totalSignatures": 250000,
        "updateDate": "05/03/2025",
        "entry": [
            {"countryCodeType": "DE", "total": 230000},
            {"countryCodeType": "EL", "total": 20000},
            {"countryCodeType": "XX", "total": "n/a"},
            {"countryCodeType": "FR", "total": 0},
        ],
    },
}


def _register(**report: Any) -> dict[str, Any]:
    return {**REGISTER, "sosReport": {**REGISTER["sosReport"], **report}}


# --- The local server -----------------------------------------------------------------


@dataclass
class Route:
    status: int = 200
    body: Any = None  # JSON-encoded, unless bytes
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class CounterServer:
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for seen, _ in self.requests if seen == path)


def _handler(state: CounterServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.requests.append((self.path, dict(self.headers)))
            route = state.routes.get(self.path, Route(status=404, body={"error": "not found"}))
            if route.delay:
                time.sleep(route.delay)
            body = route.body if isinstance(route.body, bytes) else json.dumps(route.body).encode()
            self.send_response(route.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a slow answer closed its end: expected here


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"]:
        monkeypatch.delenv(name, raising=False)
    state = CounterServer()
    state.routes.update(
        {
            "/progression": Route(body=PROGRESSION),
            "/register": Route(body=REGISTER),
            "/error": Route(status=500, body={"error": "oops"}, headers={"Set-Cookie": "s=1"}),
            "/invalid": Route(body=b'{"signatureCount": 12'),
            "/slow": Route(body=PROGRESSION, delay=1.0),
        }
    )
    httpd = QuietServer(("127.0.0.1", 0), _handler(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def only_local_requests(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Refuse, and afterwards report, any request httpx makes to anywhere but 127.0.0.1."""
    seen: list[httpx.URL] = []
    original = httpx.HTTPTransport.handle_request

    def guarded(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        if request.url.host != "127.0.0.1":
            raise AssertionError(f"tried to reach {request.url}")
        return original(self, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", guarded)
    yield seen
    assert all(url.host == "127.0.0.1" for url in seen), seen


@pytest.fixture(autouse=True)
def quick_sync(settings: Any) -> None:
    settings.RECLAIM = {
        **settings.RECLAIM,
        "ECI_SYNC_TIMEOUT": 0.3,
        "ECI_SYNC_RETRIES": 2,
        "ECI_SYNC_BACKOFF": 0,
    }


def _initiative(slug: str = "ryf", number: int = 1, **fields: Any) -> Initiative:
    values: dict[str, Any] = {
        "slug": slug,
        "registration_number": f"ECI(2025){number:06d}",
        "registered_on": date(2025, 1, 10),
        "title": "Ban biometric mass surveillance",
        "objectives": "Ban it.",
        "register_url": "https://register.eci.ec.europa.eu/core/initiatives/2025/000001",
        "signing_url": "https://eci.ec.europa.eu/045/public/",
        "status": Initiative.Status.COLLECTING,
    }
    values.update(fields)
    return Initiative.objects.create(**values)


@pytest.fixture
def initiative(server: CounterServer) -> Initiative:
    return _initiative(
        online_counter_url=server.url("/progression"),
        register_counter_url=server.url("/register"),
    )


def _readings(initiative: Initiative, source: str) -> dict[str, int]:
    return {
        r.country.code if r.country else "": r.count
        for r in CounterReading.objects.filter(initiative=initiative, source=source)
    }


def _status(initiative: Initiative, source: str) -> SyncStatus:
    return SyncStatus.objects.get(initiative=initiative, source=source)


# --- Good answers ---------------------------------------------------------------------


def test_it_writes_the_online_total_and_the_register_figures_per_member_state(initiative):
    result = sync.sync_initiative(initiative)

    assert result["online"] == {"ok": True, "total": 12345}
    assert result["register"] == {"ok": True, "total": 250000, "ignored": ["XX"]}
    assert _readings(initiative, "online") == {"": 12345}
    # EL is the EU's code for Greece; we keep ISO's GR. The unknown XX is skipped alone.
    assert _readings(initiative, "register") == {"DE": 230000, "GR": 20000, "FR": 0, "": 250000}
    readings = CounterReading.objects.filter(initiative=initiative)
    assert {r.origin for r in readings} == {"sync"}
    assert len({r.read_at for r in readings.filter(source="register")}) == 1
    register_total = readings.get(source="register", country="")
    assert register_total.reported_at == datetime(2025, 3, 5, tzinfo=BRUSSELS)
    assert readings.get(source="online").reported_at is None
    for source in ["online", "register"]:
        status = _status(initiative, source)
        assert status.last_success_at is not None
        assert status.last_attempt_at == status.last_success_at
        assert status.last_error == ""


def test_it_accepts_gr_for_greece_and_an_iso_update_date(server, initiative):
    server.routes["/register"] = Route(
        body=_register(
            updateDate="2025-03-05T09:30:00Z",
            entry=[{"countryCodeType": "GR", "total": 7}],
            totalSignatures=7,
        )
    )
    sync.sync_initiative(initiative)

    assert _readings(initiative, "register") == {"GR": 7, "": 7}
    reading = CounterReading.objects.get(initiative=initiative, source="register", country="")
    assert reading.reported_at == datetime(2025, 3, 5, 9, 30, tzinfo=ZoneInfo("UTC"))


def test_an_unreadable_update_date_still_keeps_the_figures(server, initiative):
    server.routes["/register"] = Route(body=_register(updateDate="soon"))
    sync.sync_initiative(initiative)

    reading = CounterReading.objects.get(initiative=initiative, source="register", country="")
    assert reading.count == 250000
    assert reading.reported_at is None


def test_every_sync_adds_readings_and_never_overwrites_one(server, initiative):
    sync.sync_initiative(initiative)
    server.routes["/progression"] = Route(body={"signatureCount": 12400, "goal": 1000000})
    sync.sync_initiative(initiative)

    totals = CounterReading.objects.filter(initiative=initiative, source="online")
    assert sorted(r.count for r in totals) == [12345, 12400]
    assert figures.latest_total(initiative, "online").count == 12400


def test_it_names_reclaim_sends_no_cookie_and_nothing_personal(server, initiative):
    initiative.online_counter_url = server.url("/error")  # answers with a Set-Cookie
    initiative.save()
    sync.sync_initiative(initiative)

    assert server.hits("/error") == 3
    for _path, headers in server.requests:
        names = {name.lower() for name in headers}
        assert headers["User-Agent"].startswith("reclaim/")
        assert "cookie" not in names
        assert "authorization" not in names
        assert "referer" not in names
    assert {path for path, _ in server.requests} == {"/error", "/register"}


# --- Bad answers ----------------------------------------------------------------------


def test_an_http_error_is_retried_then_recorded_and_writes_nothing(server, initiative):
    initiative.online_counter_url = server.url("/error")
    initiative.save()
    result = sync.sync_initiative(initiative)

    assert result["online"]["ok"] is False
    assert server.hits("/error") == 3  # the first attempt and ECI_SYNC_RETRIES more
    assert _readings(initiative, "online") == {}
    status = _status(initiative, "online")
    assert "HTTP 500" in status.last_error
    assert status.last_attempt_at is not None
    assert status.last_success_at is None


def test_the_number_of_retries_is_a_setting(server, initiative, settings):
    settings.RECLAIM = {**settings.RECLAIM, "ECI_SYNC_RETRIES": 0}
    initiative.online_counter_url = server.url("/error")
    initiative.save()
    sync.sync_initiative(initiative)

    assert server.hits("/error") == 1


def test_a_missing_page_is_not_retried(server, initiative):
    initiative.online_counter_url = server.url("/gone")
    initiative.save()
    sync.sync_initiative(initiative)

    assert server.hits("/gone") == 1
    assert _status(initiative, "online").last_error == "HTTP 404"
    assert _readings(initiative, "online") == {}


def test_invalid_json_is_recorded_not_retried_and_writes_nothing(server, initiative):
    initiative.online_counter_url = server.url("/invalid")
    initiative.save()
    sync.sync_initiative(initiative)

    assert server.hits("/invalid") == 1
    assert _status(initiative, "online").last_error == "not valid JSON"
    assert _readings(initiative, "online") == {}


@pytest.mark.parametrize(
    "body",
    [
        {"signatureCount": "12345"},
        {"signatureCount": -1},
        {"signatureCount": True},
        {"signatureCount": 12345.0},
        {"signatureCount": None},
        {"signatureCount": 10**12},
        {"goal": 1000000},
        [12345],
        "12345",
        None,
    ],
)
def test_an_online_answer_of_the_wrong_shape_writes_nothing(server, initiative, body):
    server.routes["/progression"] = Route(body=body)
    result = sync.sync_initiative(initiative)

    assert result["online"]["ok"] is False
    assert _readings(initiative, "online") == {}
    assert _status(initiative, "online").last_error
    assert server.hits("/progression") == 1
    # The other counter is read on its own merits.
    assert result["register"]["ok"] is True


@pytest.mark.parametrize(
    "body",
    [
        {**REGISTER, "sosReport": None},
        {key: value for key, value in REGISTER.items() if key != "sosReport"},
        _register(totalSignatures=-5),
        _register(totalSignatures="250000"),
        _register(entry={"countryCodeType": "DE", "total": 1}),
        _register(entry=[{"countryCodeType": "DE", "total": "150000"}]),
        _register(entry=[{"countryCodeType": "DE", "total": -1}]),
        _register(entry=[{"countryCodeType": None, "total": 1}]),
        _register(entry=[{"countryCodeType": "DE"}]),
        _register(entry=["DE"]),
        _register(
            entry=[{"countryCodeType": "EL", "total": 1}, {"countryCodeType": "GR", "total": 1}]
        ),
        [],
    ],
)
def test_a_register_answer_of_the_wrong_shape_writes_nothing(server, initiative, body):
    server.routes["/register"] = Route(body=body)
    result = sync.sync_initiative(initiative)

    assert result["register"]["ok"] is False
    assert _readings(initiative, "register") == {}
    status = _status(initiative, "register")
    assert status.last_error
    assert status.last_success_at is None


def test_a_slow_answer_times_out_is_retried_and_the_last_good_figure_stays(server, initiative):
    sync.sync_initiative(initiative)
    good = _status(initiative, "online").last_success_at
    initiative.online_counter_url = server.url("/slow")
    initiative.save()

    started = time.monotonic()
    result = sync.sync_initiative(initiative)

    assert time.monotonic() - started < 3  # three attempts of 0.3 s, not three of 1 s
    assert result["online"] == {"ok": False, "error": "timed out (3 attempts)"}
    assert server.hits("/slow") == 3
    assert _readings(initiative, "online") == {"": 12345}
    status = _status(initiative, "online")
    assert status.last_success_at == good
    assert status.last_attempt_at > good
    assert status.last_error == "timed out (3 attempts)"


def test_a_success_after_a_failure_clears_the_error(server, initiative):
    initiative.online_counter_url = server.url("/error")
    initiative.save()
    sync.sync_initiative(initiative)
    initiative.online_counter_url = server.url("/progression")
    initiative.save()
    sync.sync_initiative(initiative)

    status = _status(initiative, "online")
    assert status.last_error == ""
    assert status.last_success_at == status.last_attempt_at


def test_an_unreachable_server_is_recorded(initiative, server):
    initiative.online_counter_url = "http://127.0.0.1:9/progression"  # the discard port
    initiative.save()
    result = sync.sync_initiative(initiative)

    assert result["online"]["ok"] is False
    assert _status(initiative, "online").last_error.startswith("network error")


def test_an_unusable_address_is_recorded_not_retried(initiative):
    initiative.online_counter_url = "ftp://127.0.0.1/progression"
    initiative.save()
    result = sync.sync_initiative(initiative)

    assert result["online"] == {"ok": False, "error": "not a usable address"}
    assert _readings(initiative, "online") == {}


# --- Age and staleness ----------------------------------------------------------------


def test_a_figure_is_stale_after_6_hours_online_and_36_hours_in_the_register(initiative):
    sync.sync_initiative(initiative)
    now = timezone.now()

    assert figures.figure_age(initiative, "online", now + timedelta(hours=1)) >= timedelta(hours=1)
    assert not figures.is_stale(initiative, "online", now + timedelta(hours=5))
    assert figures.is_stale(initiative, "online", now + timedelta(hours=7))
    assert not figures.is_stale(initiative, "register", now + timedelta(hours=30))
    assert figures.is_stale(initiative, "register", now + timedelta(hours=37))


def test_no_figure_at_all_is_stale(server):
    initiative = _initiative()
    assert figures.figure_age(initiative, "online") is None
    assert figures.is_stale(initiative, "online")


def test_staleness_is_a_setting(initiative, settings):
    sync.sync_initiative(initiative)
    settings.RECLAIM = {**settings.RECLAIM, "ECI_STALE_AFTER": {"online": 60}}
    later = timezone.now() + timedelta(minutes=2)

    assert figures.is_stale(initiative, "online", later)
    assert not figures.is_stale(initiative, "register", later)
    settings.RECLAIM = {**settings.RECLAIM, "ECI_STALE_AFTER": 3600}
    assert not figures.is_stale(initiative, "online", later)


def test_the_page_shows_a_stale_figure_with_its_age_and_the_error(
    server, initiative, organiser, as_user
):
    sync.sync_initiative(initiative)
    CounterReading.objects.update(read_at=timezone.now() - timedelta(hours=8))
    initiative.online_counter_url = server.url("/error")
    initiative.save()
    sync.sync_initiative(initiative)

    page = as_user(organiser).get(f"/en/eci/{initiative.slug}/organise/figures/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "12,345" in text
    assert "8\xa0hours ago" in text
    assert "Stale" in text
    assert "HTTP 500 (3 attempts)" in text
    assert "as of March 5, 2025" in text


# --- Which initiatives, and how it is run ---------------------------------------------


def test_sync_all_reads_only_initiatives_not_yet_past_their_collection(server):
    today = timezone.now().astimezone(BRUSSELS).date()
    moving = {}
    for number, status in enumerate(sync.SYNCED_STATUSES, start=1):
        moving[status] = _initiative(
            slug=f"i{number}",
            number=number,
            status=status,
            online_counter_url=server.url(f"/{status}/progression"),
        )
    moving["last-day"] = _initiative(
        slug="last-day",
        number=5,
        collection_end=today,
        online_counter_url=server.url("/last-day/progression"),
    )
    closed = ["closed", "verification", "submitted", "answered", "withdrawn"]
    for number, status in enumerate(closed, start=10):
        _initiative(
            slug=f"i{number}",
            number=number,
            status=status,
            online_counter_url=server.url(f"/{status}/progression"),
        )
    # Still "collecting" by its status, but its last day has passed: closed all the same.
    _initiative(
        slug="ended",
        number=19,
        collection_end=today - timedelta(days=1),
        online_counter_url=server.url("/ended/progression"),
    )
    _initiative(slug="no-urls", number=20)
    for path in [*moving, *closed, "ended"]:
        server.routes[f"/{path}/progression"] = Route(body=PROGRESSION)

    results = sync.sync_all()

    assert set(results) == {i.slug for i in moving.values()}
    assert {path for path, _ in server.requests} == {f"/{s}/progression" for s in moving}
    assert CounterReading.objects.filter(source="online", country="").count() == len(moving)


def test_the_scheduler_skips_a_closed_initiative(initiative, server):
    initiative.status = Initiative.Status.CLOSED
    initiative.save()
    job = next(job for job in JOBS if job.name == "sync ECI counters")

    assert job.run() == {}
    assert server.requests == []
    assert not sync.is_synced(initiative)


def test_the_scheduler_syncs_every_15_minutes_by_default(initiative):
    job = next(job for job in JOBS if job.name == "sync ECI counters")
    assert job.interval() == 900

    assert job.run()["ryf"]["online"] == {"ok": True, "total": 12345}
    assert _readings(initiative, "online") == {"": 12345}


# --- Answers that cannot be true ------------------------------------------------------


def _figures_page(client: Any, initiative: Initiative) -> str:
    page = client.get(f"/en/eci/{initiative.slug}/organise/figures/")
    assert page.status_code == 200
    return page.content.decode()


def _refused_after_a_good_reading(
    server: CounterServer, initiative: Initiative, path: str, body: Any
) -> dict[str, Any]:
    """Read the good answers, then ``body`` at ``path``: what the second sync says."""
    assert sync.sync_initiative(initiative)["online"]["ok"] is True
    server.routes[path] = Route(body=body)
    return sync.sync_initiative(initiative)


def test_two_billion_statements_are_refused_and_the_last_good_figure_stays_marked_stale(
    server, initiative, organiser, as_user, client
):
    result = _refused_after_a_good_reading(
        server, initiative, "/progression", {"signatureCount": 2_000_000_000, "goal": 1000000}
    )

    assert result["online"] == {
        "ok": False,
        "error": "rejected: total_above_population",
        "rejected": "total_above_population",
    }
    assert _readings(initiative, "online") == {"": 12345}
    assert figures.latest_total(initiative, "online").count == 12345
    rejection = RejectedReading.objects.get(initiative=initiative)
    assert rejection.source == "online"
    assert rejection.reason == "total_above_population"
    assert rejection.total == 2_000_000_000
    assert rejection.details == {"count": 2_000_000_000, "limit": sum(population().values())}
    assert figures.is_stale(initiative, "online")
    assert figures.stale_sources(initiative)["online"]["stale"] is True
    assert not figures.is_stale(initiative, "register")

    text = _figures_page(as_user(organiser), initiative)
    assert "12,345" in text
    assert "Stale" in text
    assert "Answer refused: A total of 2,000,000,000 statements, more than the whole " in text
    assert "2,000,000,000" not in client.get(f"/en/eci/{initiative.slug}/").content.decode()


def test_a_member_state_above_its_whole_population_is_refused(server, initiative):
    germany = population()["DE"]
    result = _refused_after_a_good_reading(
        server,
        initiative,
        "/register",
        _register(
            totalSignatures=germany + 1,
            entry=[{"countryCodeType": "DE", "total": germany + 1}],
        ),
    )

    assert result["register"]["rejected"] == "above_population"
    assert _readings(initiative, "register") == {"DE": 230000, "GR": 20000, "FR": 0, "": 250000}
    rejection = RejectedReading.objects.get(initiative=initiative, source="register")
    assert rejection.details == {"country": "DE", "count": germany + 1, "limit": germany}
    with translation.override("en"):
        assert rejection.reason_text() == (
            f"Germany: {germany + 1:,} statements, more than its whole population of {germany:,}."
        )
    assert figures.is_stale(initiative, "register")


def test_the_population_figures_are_data_with_their_source_for_every_member_state():
    raw = json.loads(
        (Path(sync.__file__).parent.parent / "data" / "population.json").read_text("utf-8")
    )
    assert "demo_pjan" in raw["source"]
    assert raw["reference_date"] == "2024-01-01"
    assert set(population()) == set(rules.load().codes())
    assert all(count > 400_000 for count in population().values())


def test_a_register_total_that_disagrees_with_its_member_states_is_refused(
    server, initiative, organiser, as_user
):
    result = _refused_after_a_good_reading(
        server,
        initiative,
        "/register",
        _register(
            totalSignatures=1_500_000,
            entry=[
                {"countryCodeType": "DE", "total": 100_000},
                {"countryCodeType": "FR", "total": 10_000},
                {"countryCodeType": "EL", "total": 700},
            ],
        ),
    )

    assert result["register"]["rejected"] == "total_mismatch"
    assert figures.latest_total(initiative, "register").count == 250000
    assert _readings(initiative, "register")[""] == 250000
    rejection = RejectedReading.objects.get(initiative=initiative, source="register")
    assert rejection.details == {"count": 1_500_000, "sum": 110_700}
    assert _status(initiative, "register").last_error == "rejected: total_mismatch"

    text = _figures_page(as_user(organiser), initiative)
    assert "A total of 1,500,000 statements, but the member states add up to 110,700." in text
    assert "Stale" in text
    assert "200,000" not in text  # no percentage of nonsense anywhere


def test_a_total_within_the_tolerance_of_its_member_states_is_accepted(
    server, initiative, settings
):
    # 250,000 against 249,000: 0.4 %, under the default 1 %.
    server.routes["/register"] = Route(
        body=_register(entry=[{"countryCodeType": "DE", "total": 249_000}])
    )
    assert sync.sync_initiative(initiative)["register"]["ok"] is True

    settings.RECLAIM = {**settings.RECLAIM, "ECI_SYNC_TOTAL_TOLERANCE": 0.001}
    assert sync.sync_initiative(initiative)["register"]["rejected"] == "total_mismatch"


def test_a_fall_beyond_the_set_share_is_refused_and_a_smaller_one_accepted(
    server, initiative, settings, organiser, as_user
):
    # 12,345 to 11,000 is a fall of 10.9 %: more than the default 10 %.
    result = _refused_after_a_good_reading(
        server, initiative, "/progression", {"signatureCount": 11_000, "goal": 1000000}
    )

    assert result["online"]["rejected"] == "fall"
    assert figures.latest_total(initiative, "online").count == 12345
    assert figures.is_stale(initiative, "online")
    text = _figures_page(as_user(organiser), initiative)
    assert "A total of 11,000 statements, down from 12,345: a fall of more than 10.0 %." in text

    settings.RECLAIM = {**settings.RECLAIM, "ECI_SYNC_MAX_FALL": 0.2}
    assert sync.sync_initiative(initiative)["online"] == {"ok": True, "total": 11_000}
    assert not figures.is_stale(initiative, "online")
    # A small fall (a correction upstream) is taken with the default too.
    settings.RECLAIM = {**settings.RECLAIM, "ECI_SYNC_MAX_FALL": 0.1}
    server.routes["/progression"] = Route(body={"signatureCount": 10_500, "goal": 1000000})
    assert sync.sync_initiative(initiative)["online"]["ok"] is True


def test_a_fall_to_zero_is_refused_even_when_any_fall_is_allowed(
    server, initiative, settings, organiser, as_user
):
    settings.RECLAIM = {**settings.RECLAIM, "ECI_SYNC_MAX_FALL": 1.0}
    result = _refused_after_a_good_reading(
        server, initiative, "/progression", {"signatureCount": 0, "goal": 1000000}
    )

    assert result["online"]["rejected"] == "zero"
    assert figures.latest_total(initiative, "online").count == 12345
    assert figures.stale_sources(initiative)["online"]["stale"] is True
    text = _figures_page(as_user(organiser), initiative)
    assert "A total of zero statements, down from 12,345." in text
    assert "Stale" in text


def test_zero_before_any_figure_is_accepted(server, initiative):
    server.routes["/progression"] = Route(body={"signatureCount": 0, "goal": 1000000})

    assert sync.sync_initiative(initiative)["online"] == {"ok": True, "total": 0}
    assert not RejectedReading.objects.exists()


def test_a_date_still_to_come_is_refused_and_today_is_accepted(
    server, initiative, organiser, as_user
):
    today = timezone.now().astimezone(BRUSSELS).date()
    tomorrow = today + timedelta(days=1)
    result = _refused_after_a_good_reading(
        server, initiative, "/register", _register(updateDate=tomorrow.strftime("%d/%m/%Y"))
    )

    assert result["register"]["rejected"] == "future_date"
    reading = figures.latest_total(initiative, "register")
    assert reading.reported_at == datetime(2025, 3, 5, tzinfo=BRUSSELS)
    rejection = RejectedReading.objects.get(initiative=initiative, source="register")
    assert rejection.details == {"date": tomorrow.isoformat()}
    assert "a day still to come" in _figures_page(as_user(organiser), initiative)

    server.routes["/register"] = Route(body=_register(updateDate=today.strftime("%d/%m/%Y")))
    assert sync.sync_initiative(initiative)["register"]["ok"] is True


def test_the_same_refusal_again_is_counted_on_one_row(server, initiative, organiser, as_user):
    _refused_after_a_good_reading(
        server, initiative, "/progression", {"signatureCount": 2_000_000_000, "goal": 1}
    )
    sync.sync_initiative(initiative)

    rejection = RejectedReading.objects.get(initiative=initiative)
    assert rejection.times == 2
    assert rejection.last_seen_at > rejection.first_seen_at
    assert _status(initiative, "online").last_attempt_at == rejection.last_seen_at
    assert "Refused 2 times since" in _figures_page(as_user(organiser), initiative)


def test_a_figure_is_stale_as_soon_as_an_attempt_fails_and_fresh_after_the_next_good_one(
    server, initiative
):
    sync.sync_initiative(initiative)
    assert not figures.is_stale(initiative, "online")
    assert figures.stale_sources(initiative)["online"]["stale"] is False

    initiative.online_counter_url = server.url("/error")
    initiative.save()
    sync.sync_initiative(initiative)
    # Seconds old, yet stale: the last attempt failed.
    assert figures.is_stale(initiative, "online")
    assert figures.stale_sources(initiative)["online"]["stale"] is True
    assert next(c for c in figures.counter_states(initiative) if c.source == "online").stale

    initiative.online_counter_url = server.url("/progression")
    initiative.save()
    sync.sync_initiative(initiative)
    assert not figures.is_stale(initiative, "online")


def test_a_figure_typed_in_after_a_refusal_is_fresh_and_the_new_last_good_one(
    server, initiative, organiser, as_user
):
    _refused_after_a_good_reading(
        server, initiative, "/progression", {"signatureCount": 6_000, "goal": 1000000}
    )
    assert figures.is_stale(initiative, "online")

    response = as_user(organiser).post(
        f"/en/eci/{initiative.slug}/organise/figures/",
        {"form": "manual", "manual-source": "online", "manual-count_DE": "6000"},
    )

    assert response.status_code == 302
    assert not figures.is_stale(initiative, "online")
    # The fall was real: from the typed-in figure on, the counter's answer is taken again.
    assert sync.sync_initiative(initiative)["online"] == {"ok": True, "total": 6_000}


def test_a_closed_initiatives_figures_are_not_called_stale(server, initiative):
    sync.sync_initiative(initiative)
    initiative.online_counter_url = server.url("/error")
    initiative.save()
    sync.sync_initiative(initiative)
    initiative.status = Initiative.Status.CLOSED
    initiative.save()

    assert figures.stale_sources(initiative)["online"]["stale"] is False
