"""Reading an initiative's figures: the newest totals, their age, and whether they are stale.

Every figure is a ``CounterReading`` row, read from the Commission by the sync
(``reclaim.eci.sync``) or entered by an organiser (``reclaim.eci.services.figures``); this
module only reads them, with the ``SyncStatus`` of each counter.

Setting (``settings.RECLAIM``), optional:

- ``ECI_STALE_AFTER``: seconds after which a figure is shown as stale; one number for both
  counters, or ``{"online": …, "register": …}``. Defaults: 6 hours for the live online
  counter (the sync runs every 15 minutes, so this is many missed turns, not one blip) and
  36 hours for the register, which the Commission updates about once a day (a day plus
  half a day's slack).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from reclaim.eci.models import CounterReading, Initiative, SyncStatus

ONLINE = CounterReading.Source.ONLINE
REGISTER = CounterReading.Source.REGISTER

DEFAULT_STALE_AFTER: dict[str, int] = {ONLINE: 6 * 3600, REGISTER: 36 * 3600}


def stale_after(source: str) -> timedelta:
    """How old a figure from ``source`` may be before the page calls it stale."""
    configured = settings.RECLAIM.get("ECI_STALE_AFTER", None)
    if isinstance(configured, dict):
        seconds = configured.get(source, DEFAULT_STALE_AFTER[source])
    elif configured is not None:
        seconds = configured
    else:
        seconds = DEFAULT_STALE_AFTER[source]
    return timedelta(seconds=float(seconds))


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


def stale_sources(initiative: Initiative) -> dict[str, Any]:
    """Per counter source: its age and whether it is stale (see is_stale)."""
    # Only a live initiative's figures go stale: a closed one's last figures are final.
    live = initiative.status in (Initiative.Status.COLLECTING, Initiative.Status.VERIFICATION)
    result = {}
    now = timezone.now()
    for source in (ONLINE, REGISTER):
        age = figure_age(initiative, source, now)
        result[str(source)] = {
            # is_stale(), without reading the newest figure a second time.
            "stale": live and (age is None or age > stale_after(source)),
            "read_at": now - age if age is not None else None,
        }
    return result


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
