"""Reading an initiative's figures: the newest totals, their age, and whether they are stale.

A figure is stale when it is old (below), and also as soon as the last attempt to read its
counter failed or was refused as nonsense (``reclaim.eci.sync.checks``) after it was read:
the page then says the shown figure is the last good one, not that it is current. A figure
an organiser enters after that is fresh again.

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

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from reclaim.eci.models import CounterReading, Initiative, RejectedReading, SyncStatus

ONLINE = CounterReading.Source.ONLINE
REGISTER = CounterReading.Source.REGISTER

DEFAULT_STALE_AFTER: dict[str, int] = {ONLINE: 6 * 3600, REGISTER: 36 * 3600}
BRUSSELS = ZoneInfo("Europe/Brussels")
# Refusals listed per counter on the organisers' figures page, newest first.
REJECTIONS_SHOWN = 5


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


def failed_since(status: SyncStatus | None, reading: CounterReading | None) -> bool:
    """Whether the last attempt to read the counter failed, or was refused, after the
    shown figure was read or entered."""
    return (
        status is not None
        and bool(status.last_error)
        and status.last_attempt_at is not None
        and (reading is None or status.last_attempt_at > reading.read_at)
    )


def _status(initiative: Initiative, source: str) -> SyncStatus | None:
    return SyncStatus.objects.filter(initiative=initiative, source=source).first()


def _stale(
    source: str, reading: CounterReading | None, status: SyncStatus | None, now: datetime
) -> bool:
    """The one rule: no figure, one older than ``stale_after(source)``, or a failed or
    refused attempt since it was read."""
    if reading is None or now - reading.read_at > stale_after(source):
        return True
    return failed_since(status, reading)


def is_stale(initiative: Initiative, source: str, now: datetime | None = None) -> bool:
    """No figure, none newer than ``stale_after(source)``, or the last attempt to read the
    counter failed or was refused since it was read."""
    reading = latest_total(initiative, source)
    status = _status(initiative, source) if reading is not None else None
    return _stale(source, reading, status, now or timezone.now())


def commission_today() -> date:
    """Today as the Commission counts collection days: they end at midnight in Brussels."""
    return timezone.now().astimezone(BRUSSELS).date()


# Initiatives whose figures can still move: before registration nothing is counted, and
# once collection has closed the counters stand still (the register's verified figures,
# later, are read once by hand). Reading a closed initiative on would only risk replacing
# its final figures with a broken answer.
SYNCED_STATUSES = (
    Initiative.Status.REGISTERED,
    Initiative.Status.COLLECTING,
)


def is_synced(initiative: Initiative, today: date | None = None) -> bool:
    """Whether the schedule reads this initiative's counters (``reclaim.eci.sync``): still
    before or in its collection, by its status and by its last day of collection."""
    today = today or commission_today()
    return initiative.status in SYNCED_STATUSES and (
        initiative.collection_end is None or initiative.collection_end >= today
    )


def stale_sources(initiative: Initiative) -> dict[str, Any]:
    """Per counter source: its age and whether it is stale (see is_stale)."""
    # Only a collecting initiative's figures go stale: once collection has closed the sync
    # stops (is_synced) and the last figures are final.
    live = initiative.status == Initiative.Status.COLLECTING and is_synced(initiative)
    statuses = {s.source: s for s in SyncStatus.objects.filter(initiative=initiative)}
    result = {}
    now = timezone.now()
    for source in (ONLINE, REGISTER):
        reading = latest_total(initiative, source)
        age = now - reading.read_at if reading is not None else None
        result[str(source)] = {
            # is_stale(), without reading the newest figure a second time.
            "stale": live and _stale(source, reading, statuses.get(source), now),
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
    # The refusal behind the last failed attempt, if it was one; the last few refusals.
    rejection: RejectedReading | None = None
    rejections: list[RejectedReading] = field(default_factory=list)


def counter_states(initiative: Initiative, now: datetime | None = None) -> list[CounterState]:
    now = now or timezone.now()
    statuses = {s.source: s for s in SyncStatus.objects.filter(initiative=initiative)}
    states = []
    for source, label in CounterReading.Source.choices:
        url = initiative.online_counter_url if source == ONLINE else initiative.register_counter_url
        latest = latest_total(initiative, source)
        age = now - latest.read_at if latest is not None else None
        status = statuses.get(source)
        failed = failed_since(status, latest)
        rejections = list(
            RejectedReading.objects.filter(initiative=initiative, source=source)[:REJECTIONS_SHOWN]
        )
        current = rejections[0] if rejections else None
        states.append(
            CounterState(
                source=source,
                label=str(label),
                url=url,
                status=status,
                latest=latest,
                age=age,
                stale=_stale(source, latest, status, now),
                rejection=(
                    current
                    if current is not None
                    and failed
                    and status is not None
                    and status.last_attempt_at == current.last_seen_at
                    else None
                ),
                rejections=rejections,
            )
        )
    return states
