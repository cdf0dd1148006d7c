"""Two citizens' initiatives for `reclaim demo`: Reclaim Your Face as it was, and a new one.

Reclaim Your Face (ECI(2021)000001) is real and closed. Its final total and the figures of
its five largest member states come from ``reclaim-your-face-2021.json`` (the Commission's
register, with the source named there). How the remaining statements were split over the
other 22 member states is not in that source: the demo spreads them by population, and the
monthly readings before the final one are invented to give the chart a curve.

The second initiative is invented from start to end: its number, its figures, its paper
batches and its sponsors. It is on the 2024 threshold table and has crossed the threshold
in six member states, one short of the seven a valid initiative needs.

Every figure is a counter reading entered by hand (origin "manual"), never one claiming to
come from the Commission; neither initiative has a counter address, so the sync leaves them
alone. Initiatives are found by registration number, readings are loaded only when the
initiative has none, batches are found by reference and sponsors by name: a second run
creates nothing new.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.core.demo.content import EU_POPULATION
from reclaim.eci.dashboard import Dashboard, build
from reclaim.eci.models import CounterReading, Initiative, PaperBatch
from reclaim.eci.services import advance_batch, create_batch
from reclaim.eci.sponsors import record_sponsor

ACTOR = "demo"
RYF_FILE = Path(__file__).with_name("reclaim-your-face-2021.json")
REGISTER = CounterReading.Source.REGISTER
ONLINE = CounterReading.Source.ONLINE
MANUAL = CounterReading.Origin.MANUAL


# --- Reclaim Your Face, 2021 ----------------------------------------------------------


def load_ryf_figures() -> dict[str, Any]:
    return json.loads(RYF_FILE.read_text(encoding="utf-8"))


RYF_SLUG = "reclaim-your-face"
RYF_OBJECTIVES = (
    "The organisers ask the Commission to propose EU law that ends biometric mass "
    "surveillance. Identifying or tracking people by their faces, bodies or behaviour, "
    "indiscriminately or in publicly accessible spaces, should be prohibited outright "
    "rather than regulated case by case. Exceptions in EU and national law that allow such "
    "practices today should be closed."
)
# Collection ended on 1 August 2022; the register's final figure, read the next morning.
RYF_FINAL_AT = datetime(2022, 8, 2, 8, 0, tzinfo=UTC)


def ryf_defaults(data: dict[str, Any]) -> dict[str, Any]:
    year, number = data["registration_number"][4:8], data["registration_number"][9:15]
    return {
        "slug": RYF_SLUG,
        "registered_on": date.fromisoformat(data["registered"]),
        "title": data["initiative"],
        "objectives": RYF_OBJECTIVES,
        "register_url": f"https://register.eci.ec.europa.eu/core/initiative/{year}/{number}",
        # It collected through its own certified system, long closed; the Commission's
        # page on the initiative is the address that still means something.
        "signing_url": (
            f"https://citizens-initiative.europa.eu/initiatives/details/{year}/{number}_en"
        ),
        "collection_start": date.fromisoformat(data["collection"]["start"]),
        "collection_end": date.fromisoformat(data["collection"]["end"]),
        "status": Initiative.Status.CLOSED,
    }


def spread(total: int, weights: dict[str, float]) -> dict[str, int]:
    """``total`` split in proportion to ``weights``, in whole numbers adding up exactly
    (largest remainder; ties go to the earlier code, so the split is always the same)."""
    scale = sum(weights.values())
    exact = {iso: total * weight / scale for iso, weight in weights.items()}
    shares = {iso: math.floor(value) for iso, value in exact.items()}
    left = total - sum(shares.values())
    for iso in sorted(exact, key=lambda iso: (shares[iso] - exact[iso], iso))[:left]:
        shares[iso] += 1
    return shares


def ryf_final(data: dict[str, Any]) -> dict[str, int]:
    """The known five, and the rest of the final total spread over the other 22."""
    known = {iso: int(n) for iso, n in data["per_country_known"].items()}
    rest = int(data["final_total"]) - sum(known.values())
    others = {iso: pop for iso, pop in EU_POPULATION.items() if iso not in known}
    return known | spread(rest, others)


def ryf_moments() -> list[datetime]:
    """The 17th of every month from March 2021 to July 2022, then the final reading."""
    moments = []
    year, month = 2021, 3
    while (year, month) <= (2022, 7):
        moments.append(datetime(year, month, 17, 8, 0, tzinfo=UTC))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [*moments, RYF_FINAL_AT]


# --- The new initiative, 2026 ---------------------------------------------------------

NEW_SLUG = "ban-biometric-surveillance-2026"
NEW_NUMBER = "ECI(2026)000003"
NEW_SIGNING = "https://eci.ec.europa.eu/061/public/?lg={}"
NEW_INITIATIVE: dict[str, Any] = {
    "slug": NEW_SLUG,
    "registered_on": date(2026, 3, 2),
    "title": "Stop biometric surveillance in public spaces: close the AI Act's loopholes",
    "objectives": (
        "We call on the Commission to propose a law that prohibits remote biometric "
        "identification in publicly accessible spaces, in real time and after the fact, by "
        "public authorities and private companies alike. The exceptions the Artificial "
        "Intelligence Act leaves open should be removed, and the use of biometric data to "
        "infer emotions, ethnicity or political views should be banned."
    ),
    "register_url": "https://register.eci.ec.europa.eu/core/initiative/2026/000003",
    "signing_url": NEW_SIGNING.format("en"),
    "signing_links": {lang: NEW_SIGNING.format(lang) for lang in ("en", "de", "fr")},
    "collection_start": date(2026, 5, 4),
    "collection_end": date(2027, 5, 3),
    "status": Initiative.Status.COLLECTING,
}

# Where each member state stands at the latest reading, as a share of its threshold. Six
# over the line (one short of the seven needed), Slovenia close, a few far behind.
NEW_SHARE_OF_THRESHOLD: dict[str, float] = {
    "DE": 1.12,
    "AT": 1.27,
    "IT": 1.04,
    "NL": 1.09,
    "BE": 1.15,
    "LU": 1.38,
    "SI": 0.93,
    "FR": 0.88,
    "IE": 0.81,
    "FI": 0.74,
    "ES": 0.71,
    "DK": 0.69,
    "SE": 0.66,
    "PT": 0.62,
    "EE": 0.59,
    "GR": 0.57,
    "HR": 0.52,
    "CZ": 0.49,
    "LT": 0.48,
    "PL": 0.46,
    "SK": 0.44,
    "HU": 0.43,
    "RO": 0.41,
    "LV": 0.27,
    "CY": 0.23,
    "BG": 0.18,
    "MT": 0.12,
}
# The online counter shows online statements only; the rest of the register's figure is
# paper already declared to the authorities.
ONLINE_SHARE = (0.86, 0.875, 0.89)


@dataclass(frozen=True)
class DemoBatch:
    """A coalition partner's paper, and how far along its custody chain it has come.

    Days count back from the latest reading."""

    reference: str
    partner: str
    country: str
    sheets: int
    statements: int
    storage: str
    steps: tuple[tuple[str, int], ...]  # (step, days before the latest reading)
    valid_count: int | None = None


# Each partner's name must be in organisations.json: the lookup fails loudly otherwise.
NEW_BATCHES = (
    DemoBatch(
        "DEMO-2026-DE-01",
        "Digitalcourage",
        "DE",
        262,
        1204,
        "Locked cabinet at the partner's office",
        (("received", 98), ("counted", 96), ("stored", 95), ("sent", 63), ("certified", 21)),
        valid_count=1131,
    ),
    DemoBatch(
        "DEMO-2026-FR-01",
        "La Quadrature du Net",
        "FR",
        331,
        1540,
        "Safe at the partner's office",
        (("received", 70), ("counted", 68), ("stored", 67), ("sent", 12)),
    ),
    DemoBatch(
        "DEMO-2026-IT-01",
        "Hermes Center for Transparency and Digital Human Rights",
        "IT",
        205,
        961,
        "Locked archive room",
        (("received", 41), ("counted", 38), ("stored", 37)),
    ),
    DemoBatch(
        "DEMO-2026-GR-01",
        "Homo Digitalis",
        "GR",
        153,
        718,
        "",
        (("received", 16), ("counted", 9)),
    ),
    DemoBatch(
        "DEMO-2026-NL-01",
        "Bits of Freedom",
        "NL",
        97,
        455,
        "",
        (("received", 3),),
    ),
)
SENT_MEANS = "registered post"

# Invented, and deliberately generic: a real funder's name beside an invented grant would
# read as a fact about that funder. (name, EUR, days ago)
NEW_SPONSORS: tuple[tuple[str, str, int], ...] = (
    ("A private foundation (civil liberties programme)", "25000.00", 150),
    ("A European digital rights network (campaign staff, in kind)", "12500.00", 95),
    ("A trade union federation (venue for the launch, in kind)", "3200.00", 60),
    ("A national civil liberties association (printing of paper forms)", "1850.00", 40),
    # Exactly the minimum: only amounts above EUR 500 are disclosed, so it stays off the list.
    ("A local privacy group (leaflets)", "500.00", 12),
)


def new_moments(start: date, end: date, now: datetime) -> list[datetime]:
    """Weekly register readings from the start of collection, daily in the last two weeks,
    and one now; none after collection ended."""
    first = datetime.combine(start, time(6, 0), tzinfo=UTC)
    last = min(now.replace(second=0, microsecond=0), datetime.combine(end, time.max, tzinfo=UTC))
    if last <= first:
        return []
    daily_from = last - timedelta(days=14)
    moments = []
    moment = first + timedelta(days=7)
    while moment < last:
        if moment >= daily_from or (moment - first).days % 7 == 0:
            moments.append(moment)
        moment += timedelta(days=1)
    return [*moments, last]


# --- Readings -------------------------------------------------------------------------


def growth(
    final: dict[str, int], fractions: list[float], rng: random.Random, noise: float
) -> list[dict[str, int]]:
    """Per moment and member state, a figure near ``final * fraction`` that never falls
    and ends exactly on ``final`` at the last moment."""
    previous = dict.fromkeys(final, 0)
    series = []
    for n, fraction in enumerate(fractions):
        is_last = n == len(fractions) - 1
        figures = {}
        for iso, target in final.items():
            value = target if is_last else round(target * fraction * rng.uniform(1 - noise, 1))
            figures[iso] = min(target, max(previous[iso], value))
        previous = figures
        series.append(figures)
    return series


def _progress(moments: list[datetime], start: datetime, power: float) -> list[float]:
    span = (moments[-1] - start).total_seconds()
    return [((moment - start).total_seconds() / span) ** power for moment in moments]


def _register_rows(
    initiative: Initiative, moments: Iterable[datetime], series: Iterable[dict[str, int]]
) -> list[CounterReading]:
    rows = []
    for at, figures in zip(moments, series, strict=True):
        for iso, count in [*figures.items(), ("", sum(figures.values()))]:
            rows.append(
                CounterReading(
                    initiative=initiative,
                    source=REGISTER,
                    origin=MANUAL,
                    country=iso,
                    count=count,
                    read_at=at,
                )
            )
    return rows


def ryf_readings(initiative: Initiative, data: dict[str, Any]) -> list[CounterReading]:
    moments = ryf_moments()
    start = datetime.combine(initiative.collection_start or date(2021, 2, 17), time(), UTC)
    # A strong launch, then a slower climb: the power below 1 bends the curve that way.
    fractions = _progress(moments, start, 0.7)
    series = growth(ryf_final(data), fractions, random.Random("reclaim-demo-ryf"), 0.08)
    return _register_rows(initiative, moments, series)


def new_final(initiative: Initiative) -> dict[str, int]:
    thresholds = initiative.thresholds()
    return {iso: round(thresholds[iso] * share) for iso, share in NEW_SHARE_OF_THRESHOLD.items()}


def new_readings(initiative: Initiative, now: datetime) -> list[CounterReading]:
    assert initiative.collection_start is not None and initiative.collection_end is not None
    moments = new_moments(initiative.collection_start, initiative.collection_end, now)
    if not moments:
        return []
    start = datetime.combine(initiative.collection_start, time(), UTC)
    final = new_final(initiative)
    fractions = _progress(moments, start, 0.85)
    series = growth(final, fractions, random.Random("reclaim-demo-2026"), 0.06)
    rows = _register_rows(initiative, moments, series)
    total = sum(final.values())
    for days, share in zip((2, 1, 0), ONLINE_SHARE, strict=True):
        rows.append(
            CounterReading(
                initiative=initiative,
                source=ONLINE,
                origin=MANUAL,
                country="",
                count=round(total * share),
                read_at=moments[-1] - timedelta(days=days),
            )
        )
    return rows


def add_readings(initiative: Initiative, rows: list[CounterReading]) -> int:
    if not rows:
        return 0
    with transaction.atomic():
        CounterReading.objects.bulk_create(rows)
        record(ACTOR, "demo.load", target=f"initiative:{initiative.pk}", count=len(rows))
    return len(rows)


# --- Paper and sponsors ---------------------------------------------------------------


def add_batches(initiative: Initiative, latest: datetime, partners: set[str]) -> int:
    """The partners' batches, each taken through the services up to its step.

    ``partners`` are the coalition's names: a batch from anyone else is a mistake here."""
    assert initiative.collection_start is not None
    opening = datetime.combine(initiative.collection_start, time(), UTC)
    existing = set(
        PaperBatch.objects.filter(reference__in=[b.reference for b in NEW_BATCHES]).values_list(
            "reference", flat=True
        )
    )
    added = 0
    for spec in NEW_BATCHES:
        if spec.reference in existing:
            continue
        if spec.partner not in partners:
            raise LookupError(f"{spec.partner} is not in organisations.json.")
        when = {step: max(opening, latest - timedelta(days=days)) for step, days in spec.steps}
        with transaction.atomic():
            batch = create_batch(
                initiative,
                ACTOR,
                reference=spec.reference,
                partner=spec.partner,
                country=spec.country,
                sheets=spec.sheets,
                statements=spec.statements,
                storage=spec.storage,
            )
            # The service stamps reception with the current moment; the demo's paper
            # arrived weeks ago, so its date is moved back before the later steps follow.
            batch.received_at = when["received"]
            batch.save(update_fields=["received_at"])
            for step, _days in spec.steps[1:]:
                advance_batch(
                    batch,
                    step,
                    ACTOR,
                    when=when[step],
                    sent_means=SENT_MEANS if step == PaperBatch.Step.SENT else "",
                    valid_count=spec.valid_count if step == PaperBatch.Step.CERTIFIED else None,
                )
        added += 1
    return added


def add_sponsors(initiative: Initiative, today: date) -> int:
    names = set(initiative.sponsors.values_list("name", flat=True))
    added = 0
    for name, amount, days_ago in NEW_SPONSORS:
        if name in names:
            continue
        received_on = max(initiative.registered_on, today - timedelta(days=days_ago))
        record_sponsor(initiative, name, Decimal(amount), received_on, ACTOR)
        added += 1
    return added


# --- All together ---------------------------------------------------------------------


@dataclass
class InitiativeReport:
    initiative: Initiative
    created: bool
    readings: int
    batches: int
    sponsors: int
    board: Dashboard


def _ensure(number: str, defaults: dict[str, Any]) -> tuple[Initiative, bool]:
    return Initiative.objects.get_or_create(registration_number=number, defaults=defaults)


def load_initiatives(now: datetime, partners: set[str]) -> list[InitiativeReport]:
    """Both initiatives; readings only for one that has none yet (a first run)."""
    data = load_ryf_figures()
    ryf, created = _ensure(data["registration_number"], ryf_defaults(data))
    readings = 0 if ryf.readings.exists() else add_readings(ryf, ryf_readings(ryf, data))
    reports = [InitiativeReport(ryf, created, readings, 0, 0, build(ryf, now))]

    new, created = _ensure(NEW_NUMBER, NEW_INITIATIVE)
    readings = 0 if new.readings.exists() else add_readings(new, new_readings(new, now))
    # The paper's dates count back from the latest register figure, as of the first run.
    latest = new.readings.filter(source=REGISTER).aggregate(Max("read_at"))["read_at__max"]
    batches = add_batches(new, latest or now, partners)
    sponsors = add_sponsors(new, timezone.localdate(now))
    reports.append(InitiativeReport(new, created, readings, batches, sponsors, build(new, now)))
    return reports
