"""Loading one initiative of the demo through the ECI services, as an organiser would.

An initiative is found by its registration number, and its readings are entered only when
it has none yet: a second run creates nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from reclaim.demo.steps import ACTOR
from reclaim.eci.models import CounterReading, Initiative
from reclaim.eci.services.figures import record_manual_figures, record_manual_total
from reclaim.eci.services.initiatives import create_initiative


@dataclass
class Loaded:
    """One initiative, and what this run added to it."""

    initiative: Initiative
    created: bool
    readings: int = 0
    batches: int = 0
    sponsors: int = 0


def ensure_initiative(fields: dict[str, Any]) -> tuple[Initiative, bool]:
    """The initiative with the registration number in ``fields``, created if missing."""
    number = fields["registration_number"]
    existing = Initiative.objects.filter(registration_number=number).first()
    if existing is not None:
        return existing, False
    return create_initiative(**fields), True


def enter_readings(
    initiative: Initiative,
    register: Iterable[tuple[datetime, dict[str, int]]],
    online: Iterable[tuple[datetime, int]] = (),
) -> int:
    """Enter the register's figures per member state and the online totals, each at the
    moment it was read, as figures typed in by an organiser (never claiming to come from
    the Commission). Nothing for an initiative that has readings already; the rows added.
    """
    if initiative.readings.exists():
        return 0
    rows = 0
    # All or nothing: an interrupted run must not leave a curve that a second run, seeing
    # readings, would never complete.
    with transaction.atomic():
        for read_at, figures in register:
            rows += len(
                record_manual_figures(
                    initiative, CounterReading.Source.REGISTER, figures, ACTOR, read_at=read_at
                )
            )
        for read_at, total in online:
            rows += len(
                record_manual_total(
                    initiative, CounterReading.Source.ONLINE, total, ACTOR, read_at=read_at
                )
            )
    return rows
