"""Refusing a counter's answer that cannot be true.

An answer that parses (``reclaim.eci.sync.parsing``) may still be nonsense: two billion
statements, a total ten times the sum of its member states, a counter that halves overnight
or a date still to come. Such an answer writes no reading: the last good figure stays,
marked stale, and the refusal is recorded with its reason for the organisers
(``RejectedReading``, through ``reclaim.eci.services.figures``).

The checks, in order, the first that fails giving the reason:

1. no member state's figure above its whole population, and no total above the EU's
   (``data/population.json``, Eurostat's population on 1 January, with its source);
2. the register's total agrees with the sum of its member states, within
   ``ECI_SYNC_TOTAL_TOLERANCE``;
3. the total does not fall to zero from a figure above it, nor by more than
   ``ECI_SYNC_MAX_FALL`` from the last good figure of the same counter (read or entered);
4. the date the answer gives is not a day still to come, in Brussels.

Settings (``settings.RECLAIM``), optional:

- ``ECI_SYNC_TOTAL_TOLERANCE``: share of the total by which the register's total may differ
  from the sum of its member states (0.01). They are published together and should agree;
  the slack is for a line updated a moment before the total.
- ``ECI_SYNC_MAX_FALL``: share by which a total may fall from the last good one (0.1).
  While collecting a counter only grows; a small fall is a correction (duplicates removed),
  a large one a broken answer. A true large fall is refused too: organisers see why on
  their figures page and type in the figure by hand, which becomes the new last good one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from reclaim.eci.models import CounterReading, RejectedReading
from reclaim.eci.sync.parsing import REGISTER_TIMEZONE, RegisterReport

POPULATION_FILE = Path(__file__).parent.parent / "data" / "population.json"

DEFAULT_TOTAL_TOLERANCE = 0.01
DEFAULT_MAX_FALL = 0.1

Reason = RejectedReading.Reason


@dataclass(frozen=True)
class Rejection:
    """Why an answer was refused: a reason code and the figures that show it."""

    reason: str
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        # For logs and SyncStatus.last_error: short, in English; pages word it themselves.
        return f"rejected: {self.reason}"


@cache
def population() -> dict[str, int]:
    """Each member state's whole population (ISO code), from ``data/population.json``."""
    raw = json.loads(POPULATION_FILE.read_text(encoding="utf-8"))
    return {code: int(count) for code, count in raw["population"].items()}


def _setting(name: str, default: float) -> float:
    return float(settings.RECLAIM.get(name, default))


def check_answer(
    source: str,
    report: RegisterReport,
    previous_total: int | None,
    now: datetime | None = None,
) -> Rejection | None:
    """The reason to refuse ``report``, read from ``source``; None if it may be true.

    ``previous_total`` is the last good total of the same counter, if any.
    """
    now = now or timezone.now()
    limits = population()
    for code, count in sorted(report.countries.items()):
        limit = limits.get(code)
        if limit is not None and count > limit:
            return Rejection(
                Reason.ABOVE_POPULATION, {"country": code, "count": count, "limit": limit}
            )
    eu = sum(limits.values())
    if report.total > eu:
        return Rejection(Reason.TOTAL_ABOVE_POPULATION, {"count": report.total, "limit": eu})
    # The online counter gives a total alone; the register always its member states too.
    if report.countries or source == CounterReading.Source.REGISTER:
        added = sum(report.countries.values())
        tolerance = _setting("ECI_SYNC_TOTAL_TOLERANCE", DEFAULT_TOTAL_TOLERANCE)
        if abs(report.total - added) > tolerance * max(report.total, added):
            return Rejection(Reason.TOTAL_MISMATCH, {"count": report.total, "sum": added})
    if previous_total:
        if report.total == 0:
            return Rejection(Reason.ZERO, {"count": 0, "previous": previous_total})
        max_fall = _setting("ECI_SYNC_MAX_FALL", DEFAULT_MAX_FALL)
        if report.total < previous_total * (1 - max_fall):
            return Rejection(
                Reason.FALL,
                {
                    "count": report.total,
                    "previous": previous_total,
                    "share": round(max_fall * 100, 1),
                },
            )
    if report.reported_at is not None:
        # The register's dates are the Commission's days: compare days in Brussels, so
        # that today's date is never "to come" whatever the hour.
        day = report.reported_at.astimezone(REGISTER_TIMEZONE).date()
        if day > now.astimezone(REGISTER_TIMEZONE).date():
            return Rejection(Reason.FUTURE_DATE, {"date": day.isoformat()})
    return None
