"""Reclaim Your Face (ECI(2021)000001), as it was: registered in 2021, closed in 2022.

Its final total and the figures of its five largest member states come from
``reclaim-your-face-2021.json`` (the Commission's register, with the source named there).
How the remaining statements were split over the other 22 member states is not in that
source: the demo spreads them by population, and the monthly readings before the final one
are invented to give the chart a curve. It has no counter address, so the sync leaves it
alone.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from reclaim.demo.facts import population
from reclaim.eci.demo.curves import growth, progress, spread
from reclaim.eci.demo.loading import Loaded, ensure_initiative, enter_readings
from reclaim.eci.models import Initiative

FACTS = Path(__file__).with_name("reclaim-your-face-2021.json")
SLUG = "reclaim-your-face"
# A summary of the objectives as registered, written for the demo.
OBJECTIVES = (
    "The organisers ask the Commission to propose EU law that ends biometric mass "
    "surveillance. Identifying or tracking people by their faces, bodies or behaviour, "
    "indiscriminately or in publicly accessible spaces, should be prohibited outright "
    "rather than regulated case by case. Exceptions in EU and national law that allow such "
    "practices today should be closed."
)
# Collection ended on 1 August 2022; the register's final figure, read the next morning.
FINAL_AT = datetime(2022, 8, 2, 8, 0, tzinfo=UTC)


def facts() -> dict[str, Any]:
    return json.loads(FACTS.read_text(encoding="utf-8"))


def fields(data: dict[str, Any]) -> dict[str, Any]:
    number = data["registration_number"]
    year, serial = number[4:8], number[9:15]
    return {
        "registration_number": number,
        "slug": SLUG,
        "registered_on": date.fromisoformat(data["registered"]),
        "title": data["initiative"],
        "objectives": OBJECTIVES,
        "register_url": f"https://register.eci.ec.europa.eu/core/initiative/{year}/{serial}",
        # It collected through its own certified system, long closed; the Commission's
        # page on the initiative is the address that still means something.
        "signing_url": (
            f"https://citizens-initiative.europa.eu/initiatives/details/{year}/{serial}_en"
        ),
        "collection_start": date.fromisoformat(data["collection"]["start"]),
        "collection_end": date.fromisoformat(data["collection"]["end"]),
        "collection_end_before_extension": date.fromisoformat(
            data["collection"]["end_before_extension"]
        ),
        "extended_under": data["collection"]["extended_under"],
        "status": Initiative.Status.CLOSED,
    }


def final_figures(data: dict[str, Any]) -> dict[str, int]:
    """The known five, and the rest of the final total spread over the other 22."""
    known = {iso: int(n) for iso, n in data["per_country_known"].items()}
    rest = int(data["final_total"]) - sum(known.values())
    others = {iso: pop for iso, pop in population().items() if iso not in known}
    return known | spread(rest, others)


def moments() -> list[datetime]:
    """The 17th of every month from March 2021 to July 2022, then the final reading."""
    found = []
    year, month = 2021, 3
    while (year, month) <= (2022, 7):
        found.append(datetime(year, month, 17, 8, 0, tzinfo=UTC))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [*found, FINAL_AT]


def register_series(
    initiative: Initiative, data: dict[str, Any]
) -> list[tuple[datetime, dict[str, int]]]:
    when = moments()
    start = datetime.combine(initiative.collection_start or date(2021, 2, 17), time(), UTC)
    # A strong launch, then a slower climb: the power below 1 bends the curve that way.
    fractions = progress(when, start, 0.7)
    series = growth(final_figures(data), fractions, random.Random("reclaim-demo-ryf"), 0.08)
    return list(zip(when, series, strict=True))


def load() -> Loaded:
    data = facts()
    initiative, created = ensure_initiative(fields(data))
    readings = enter_readings(initiative, register_series(initiative, data))
    return Loaded(initiative, created, readings)
