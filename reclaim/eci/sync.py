"""The Commission's public counters, read on a schedule, and figures organisers enter by hand.

Two public endpoints give an initiative's figures (see ``public_counters`` in
``data/rules.json``): the central online collection system's *progression* (the online
total, live) and the register's *details* (online and paper per member state, updated about
daily). Neither is documented as an API, so everything read is checked strictly; a bad,
slow or missing answer writes no reading at all, keeps the last good figure and records
the error on ``SyncStatus``, and the page shows that figure with its age.

Every figure is a new ``CounterReading`` row (a time series, never overwritten). Rows read
together share one ``read_at``; each set has a total row (blank country).

Privacy: the requests carry a User-Agent naming reclaim and nothing else — no cookies (the
jar refuses them all), no query string of ours, no referrer, no credentials — and no
redirect is followed.

Settings (``settings.RECLAIM``), all optional:

- ``ECI_SYNC_TIMEOUT``: seconds allowed to connect, and to receive a whole answer (10).
- ``ECI_SYNC_RETRIES``: further attempts after a timeout, a network error or an HTTP 5xx or
  429 answer (2). A malformed answer is not retried: it would come back the same.
- ``ECI_SYNC_BACKOFF``: seconds to wait before the n-th retry, times n (1).
- ``ECI_STALE_AFTER``: seconds after which a figure is shown as stale; one number for both
  counters, or ``{"online": …, "register": …}``. Defaults: 6 hours for the live online
  counter (the sync runs every 15 minutes, so this is many missed turns, not one blip) and
  36 hours for the register, which the Commission updates about once a day (a day plus
  half a day's slack).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.audit.services import record
from reclaim.eci import rules
from reclaim.eci.models import CounterReading, Initiative, SyncStatus

logger = logging.getLogger(__name__)

ONLINE = CounterReading.Source.ONLINE
REGISTER = CounterReading.Source.REGISTER

# Initiatives whose figures can still move: before registration nothing is counted, and
# after submission the register shows the final, verified figures, read once by hand.
SYNCED_STATUSES = (
    Initiative.Status.REGISTERED,
    Initiative.Status.COLLECTING,
    Initiative.Status.CLOSED,
    Initiative.Status.VERIFICATION,
)

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
DEFAULT_STALE_AFTER: dict[str, int] = {ONLINE: 6 * 3600, REGISTER: 36 * 3600}

# The register's answer for one initiative is a few kilobytes; anything far larger is not it.
MAX_ANSWER_BYTES = 1_000_000
# CounterReading.count is a PositiveIntegerField: the largest value every database stores.
MAX_COUNT = 2_147_483_647
# Dates without a time in the register are the Commission's days, in Brussels.
REGISTER_TIMEZONE = ZoneInfo("Europe/Brussels")
# An upload: a header and one line per member state; a few bytes each.
MAX_CSV_ROWS = 27

try:
    _VERSION = version("reclaim")
except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
    _VERSION = "dev"
USER_AGENT = f"reclaim/{_VERSION} (campaign platform; reads public ECI counters)"


class SyncError(Exception):
    """A counter could not be read. The message is short, in English, and safe to show."""


class _Transient(SyncError):
    """Worth another attempt: a timeout, a network error, or the server's own trouble."""


# --- Settings -------------------------------------------------------------------------


def _setting(name: str, default: Any) -> Any:
    return settings.RECLAIM.get(name, default)


def stale_after(source: str) -> timedelta:
    """How old a figure from ``source`` may be before the page calls it stale."""
    configured = _setting("ECI_STALE_AFTER", None)
    if isinstance(configured, dict):
        seconds = configured.get(source, DEFAULT_STALE_AFTER[source])
    elif configured is not None:
        seconds = configured
    else:
        seconds = DEFAULT_STALE_AFTER[source]
    return timedelta(seconds=float(seconds))


# --- Member states --------------------------------------------------------------------


def _member_state_codes() -> dict[str, str]:
    """Every code we accept for a member state, to its ISO code (EL, the EU's, to GR)."""
    codes: dict[str, str] = {}
    for country in rules.load().countries:
        codes[country.iso] = country.iso
        codes[country.eu] = country.iso
    return codes


def member_state(code: str) -> str | None:
    """The ISO code of a member state given as ISO or EU code, or None if it is not one."""
    return _member_state_codes().get(code.strip().upper())


# --- Fetching -------------------------------------------------------------------------


def _client(timeout: float) -> httpx.Client:
    # An empty allow-list makes the jar refuse every cookie, so none is ever sent back.
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        cookies=no_cookies,
        follow_redirects=False,
    )


def _get_once(client: httpx.Client, url: str, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 500 or response.status_code == 429:
                raise _Transient(f"HTTP {response.status_code}")
            if response.status_code != 200:
                raise SyncError(f"HTTP {response.status_code}")
            body = bytearray()
            # A server dripping bytes would keep each read under the timeout forever.
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > MAX_ANSWER_BYTES:
                    raise SyncError("answer too large")
                if time.monotonic() > deadline:
                    raise _Transient("timed out")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise SyncError("not a usable address") from exc
    except httpx.TimeoutException as exc:
        raise _Transient("timed out") from exc
    except httpx.TransportError as exc:
        raise _Transient(f"network error: {type(exc).__name__}") from exc
    try:
        return json.loads(bytes(body).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SyncError("not valid JSON") from exc


def fetch_json(client: httpx.Client, url: str) -> Any:
    """The decoded JSON answer at ``url``, retrying what may pass; SyncError otherwise."""
    timeout = float(_setting("ECI_SYNC_TIMEOUT", DEFAULT_TIMEOUT))
    retries = max(0, int(_setting("ECI_SYNC_RETRIES", DEFAULT_RETRIES)))
    backoff = float(_setting("ECI_SYNC_BACKOFF", DEFAULT_BACKOFF))
    error = SyncError("not attempted")
    for attempt in range(retries + 1):
        if attempt and backoff > 0:
            time.sleep(backoff * attempt)
        try:
            return _get_once(client, url, timeout)
        except _Transient as exc:
            error = exc
    raise SyncError(f"{error} ({retries + 1} attempts)")


# --- Parsing --------------------------------------------------------------------------


def _count(value: Any, what: str) -> int:
    # bool is an int in Python, and 1.0 is not a count: both are a wrong shape here.
    if type(value) is not int:
        raise SyncError(f"{what} is not a whole number")
    if value < 0:
        raise SyncError(f"{what} is negative")
    if value > MAX_COUNT:
        raise SyncError(f"{what} is too large")
    return value


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SyncError(f"{what} is not an object")
    return value


def parse_progression(data: Any) -> int:
    """The online total from the central system: ``{"signatureCount": N, "goal": G}``."""
    answer = _object(data, "answer")
    if "signatureCount" not in answer:
        raise SyncError("signatureCount missing")
    return _count(answer["signatureCount"], "signatureCount")


def parse_update_date(value: Any) -> datetime | None:
    """The register's ``updateDate``: ``dd/mm/yyyy`` or ISO 8601; None if neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", value)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            parsed = datetime(year, month, day)
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=REGISTER_TIMEZONE)
    return parsed


@dataclass
class RegisterReport:
    total: int
    countries: dict[str, int]
    reported_at: datetime | None
    ignored: list[str] = field(default_factory=list)


def parse_register(data: Any) -> RegisterReport:
    """Online and paper figures per member state from the register's details answer."""
    answer = _object(data, "answer")
    report = _object(answer.get("sosReport"), "sosReport")
    total = _count(report.get("totalSignatures"), "totalSignatures")
    entries = report.get("entry")
    if not isinstance(entries, list):
        raise SyncError("sosReport.entry is not a list")
    countries: dict[str, int] = {}
    ignored: list[str] = []
    for entry in entries:
        entry = _object(entry, "entry")
        code = entry.get("countryCodeType")
        if not isinstance(code, str):
            raise SyncError("countryCodeType is not text")
        iso = member_state(code)
        if iso is None:
            # A code we do not know (a new aggregate, a typo upstream) says nothing about
            # the member states we do know: skip that line, keep the rest.
            ignored.append(code[:8])
            continue
        count = _count(entry.get("total"), f"total for {iso}")
        if iso in countries:
            raise SyncError(f"{iso} given twice")
        countries[iso] = count
    return RegisterReport(
        total=total,
        countries=countries,
        reported_at=parse_update_date(report.get("updateDate")),
        ignored=ignored,
    )


# --- Syncing --------------------------------------------------------------------------


def _write_readings(
    initiative: Initiative,
    source: str,
    origin: str,
    total: int,
    countries: dict[str, int],
    read_at: datetime,
    reported_at: datetime | None,
) -> list[CounterReading]:
    """One row per member state, then the total (blank country), all read at one moment."""
    figures = [*sorted(countries.items()), ("", total)]
    return CounterReading.objects.bulk_create(
        CounterReading(
            initiative=initiative,
            source=source,
            origin=origin,
            country=code,
            count=count,
            read_at=read_at,
            reported_at=reported_at,
        )
        for code, count in figures
    )


def _sync_source(client: httpx.Client, initiative: Initiative, source: str) -> dict[str, Any]:
    url = initiative.online_counter_url if source == ONLINE else initiative.register_counter_url
    attempted_at = timezone.now()
    try:
        data = fetch_json(client, url)
        if source == ONLINE:
            report = RegisterReport(total=parse_progression(data), countries={}, reported_at=None)
        else:
            report = parse_register(data)
    except SyncError as exc:
        error = str(exc)[:200]
        logger.warning("ECI counter %s of %s: %s", source, initiative.slug, error)
        SyncStatus.objects.update_or_create(
            initiative=initiative,
            source=source,
            defaults={"last_attempt_at": attempted_at, "last_error": error},
        )
        return {"ok": False, "error": error}
    with transaction.atomic():
        _write_readings(
            initiative,
            source,
            CounterReading.Origin.SYNC,
            report.total,
            report.countries,
            read_at=attempted_at,
            reported_at=report.reported_at,
        )
        SyncStatus.objects.update_or_create(
            initiative=initiative,
            source=source,
            defaults={
                "last_attempt_at": attempted_at,
                "last_success_at": attempted_at,
                "last_error": "",
            },
        )
    result: dict[str, Any] = {"ok": True, "total": report.total}
    if report.ignored:
        result["ignored"] = report.ignored
    return result


def sync_initiative(initiative: Initiative) -> dict[str, Any]:
    """Read each configured counter of one initiative; a result per source read.

    ``{"online": {"ok": True, "total": 12345}, "register": {"ok": False, "error": "…"}}``;
    a source without a URL is left out.
    """
    sources = [
        source
        for source, url in [
            (ONLINE, initiative.online_counter_url),
            (REGISTER, initiative.register_counter_url),
        ]
        if url
    ]
    if not sources:
        return {}
    timeout = float(_setting("ECI_SYNC_TIMEOUT", DEFAULT_TIMEOUT))
    with _client(timeout) as client:
        return {str(source): _sync_source(client, initiative, source) for source in sources}


def sync_all() -> dict[str, Any]:
    """Sync every initiative whose figures can still move and that has a counter URL."""
    initiatives = Initiative.objects.filter(status__in=SYNCED_STATUSES).filter(
        ~Q(online_counter_url="") | ~Q(register_counter_url="")
    )
    results: dict[str, Any] = {}
    for initiative in initiatives.order_by("pk"):
        try:
            results[initiative.slug] = sync_initiative(initiative)
        except Exception:
            # One initiative's surprise must not starve the others of their figures.
            logger.exception("ECI counter sync of %s failed", initiative.slug)
            results[initiative.slug] = {"ok": False, "error": "unexpected error"}
    return results


# --- Age ------------------------------------------------------------------------------


def latest_total(initiative: Initiative, source: str) -> CounterReading | None:
    """The newest total read or entered for ``source``: the figure the pages show."""
    return (
        CounterReading.objects.filter(initiative=initiative, source=source, country="")
        .order_by("-read_at", "-id")
        .first()
    )


def figure_age(
    initiative: Initiative, source: str, now: datetime | None = None
) -> timedelta | None:
    """How long ago the shown figure was read or entered; None if there is none.

    A figure an organiser entered counts as fresh as one synced: typing in the figures is
    what organisers do when the sync is broken.
    """
    reading = latest_total(initiative, source)
    if reading is None:
        return None
    return (now or timezone.now()) - reading.read_at


def is_stale(initiative: Initiative, source: str, now: datetime | None = None) -> bool:
    """No figure, or none newer than ``stale_after(source)``."""
    age = figure_age(initiative, source, now)
    return age is None or age > stale_after(source)


@dataclass
class CounterState:
    """What the back office shows about one counter."""

    source: str
    label: str
    url: str
    status: SyncStatus | None
    latest: CounterReading | None
    age: timedelta | None
    stale: bool


def counter_states(initiative: Initiative, now: datetime | None = None) -> list[CounterState]:
    now = now or timezone.now()
    statuses = {s.source: s for s in SyncStatus.objects.filter(initiative=initiative)}
    states = []
    for source, label in CounterReading.Source.choices:
        url = initiative.online_counter_url if source == ONLINE else initiative.register_counter_url
        latest = latest_total(initiative, source)
        age = now - latest.read_at if latest is not None else None
        states.append(
            CounterState(
                source=source,
                label=str(label),
                url=url,
                status=statuses.get(source),
                latest=latest,
                age=age,
                stale=age is None or age > stale_after(source),
            )
        )
    return states


# --- Figures by hand ------------------------------------------------------------------


def record_manual_figures(
    initiative: Initiative,
    source: str,
    figures: dict[str, int],
    actor: Any,
    reported_at: datetime | None = None,
) -> list[CounterReading]:
    """Write figures an organiser typed or uploaded, with their total, and audit it.

    The figures are taken as a complete picture of that counter: the total is their sum,
    and a member state left out has no row (it is not read as zero).
    """
    if source not in CounterReading.Source.values:
        raise ValueError(f"unknown source {source!r}")
    if not figures:
        raise ValueError("no figures")
    countries: dict[str, int] = {}
    for code, count in figures.items():
        iso = member_state(code)
        if iso is None or iso in countries:
            raise ValueError(f"bad or repeated member state {code!r}")
        if type(count) is not int or not 0 <= count <= MAX_COUNT:
            raise ValueError(f"bad count for {code!r}")
        countries[iso] = count
    total = sum(countries.values())
    if total > MAX_COUNT:
        raise ValueError("total too large")
    with transaction.atomic():
        rows = _write_readings(
            initiative,
            source,
            CounterReading.Origin.MANUAL,
            total,
            countries,
            read_at=timezone.now(),
            reported_at=reported_at,
        )
        record(
            actor,
            "eci.figures.manual",
            target=f"initiative:{initiative.pk}",
            count=total,
            source=source,
            countries=sorted(countries),
            reported_at=reported_at.isoformat() if reported_at else None,
        )
    return rows


def parse_figures_csv(text: str) -> dict[str, int]:
    """Per-country figures from an upload: a ``country,count`` header, then one line each.

    Codes are ISO (EL is taken for GR), only the member states; counts are whole numbers
    of zero or more, written without separators. Semicolons, as spreadsheets in much of
    Europe write them, are accepted in place of commas. Every bad line is reported, by
    its number; nothing is returned unless all are good.
    """
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise ValidationError(_("The file is empty."), code="empty")
        if [cell.strip().lower() for cell in header] != ["country", "count"]:
            raise ValidationError(
                _("Line %(line)d: the first line must be the header “country,count”."),
                code="header",
                params={"line": reader.line_num},
            )
        figures: dict[str, int] = {}
        errors: list[ValidationError] = []
        rows = 0
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > MAX_CSV_ROWS:
                raise ValidationError(
                    _("Line %(line)d: the file has more than %(max)d lines of figures."),
                    code="too_many",
                    params={"line": line, "max": MAX_CSV_ROWS},
                )
            error = _check_row(row, line, figures)
            if error is not None:
                errors.append(error)
    except csv.Error as exc:
        raise ValidationError(
            _("Line %(line)d: this is not a readable CSV line."),
            code="csv",
            params={"line": reader.line_num},
        ) from exc
    if errors:
        raise ValidationError(errors)
    if not figures:
        raise ValidationError(_("The file has no figures, only the header."), code="empty")
    return figures


def _check_row(row: list[str], line: int, figures: dict[str, int]) -> ValidationError | None:
    """Add one good line to ``figures``, or say what is wrong with it."""
    if len(row) != 2:
        return ValidationError(
            _("Line %(line)d: expected two values, a country code and a count."),
            code="columns",
            params={"line": line},
        )
    code, count = row[0].strip(), row[1].strip()
    iso = member_state(code)
    if iso is None:
        return ValidationError(
            _("Line %(line)d: “%(code)s” is not the code of an EU member state."),
            code="country",
            params={"line": line, "code": code[:8]},
        )
    if iso in figures:
        return ValidationError(
            _("Line %(line)d: %(code)s is given more than once."),
            code="repeated",
            params={"line": line, "code": iso},
        )
    if not re.fullmatch(r"[0-9]{1,10}", count) or int(count) > MAX_COUNT:
        return ValidationError(
            _("Line %(line)d: the count must be a whole number of zero or more, like 1234."),
            code="count",
            params={"line": line},
        )
    figures[iso] = int(count)
    return None


def as_of(day: date | None) -> datetime | None:
    """A date an organiser gave for their figures: the start of that day in Brussels,
    like the register's own dates."""
    if day is None:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=REGISTER_TIMEZONE)
