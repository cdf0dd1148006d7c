"""The threshold dashboard: per member state, how far the initiative is and when it gets there.

Figures come from three places, merged per member state:
- the Commission's central system (online statements), read by the sync or typed in;
- the Commission's register (online and paper, about daily);
- the coalition's own paper batches, counted before they are declared anywhere.
The register already includes paper declared to it, so the best estimate for a state is the
larger of the register figure and online plus counted paper: never their sum, which would
count declared paper twice.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_countries import countries

from reclaim.eci import rules
from reclaim.eci.models import CounterReading, Initiative, PaperBatch

RATE_WINDOW = timedelta(days=7)
TOTAL = ""  # the country code of a total reading


class Series:
    """A step function: the last value read at or before a moment."""

    def __init__(self) -> None:
        self.times: list[datetime] = []
        self.values: list[int] = []

    def add(self, at: datetime, value: int) -> None:
        self.times.append(at)
        self.values.append(value)

    def at(self, moment: datetime) -> int:
        index = bisect_right(self.times, moment)
        return self.values[index - 1] if index else 0

    def at_each(self, moments: list[datetime]) -> list[int]:
        """``at()`` of every moment, in one pass (the chart asks for a hundred or more)."""
        times, values = self.times, self.values
        return [values[index - 1] if (index := bisect_right(times, m)) else 0 for m in moments]

    def latest_time(self) -> datetime | None:
        return self.times[-1] if self.times else None


@dataclass
class CountryRow:
    iso: str
    name: str
    threshold: int
    safety_target: int
    online: int
    register: int
    paper: int
    combined: int
    rate_per_day: float
    reached_on: datetime | None
    projected_on: date | None
    # The Commission's signing system gives a total only: a state's online figure is known
    # when a reading for that state exists (figures typed in per state), and shown only then.
    online_known: bool = True
    # Too little history to project a date from (``ECI_PROJECTION_MIN_DAYS``).
    history_short: bool = False

    @property
    def percent(self) -> int:
        return math.floor(100 * self.combined / self.threshold) if self.threshold else 0

    @property
    def over_threshold(self) -> bool:
        return self.combined >= self.threshold

    @property
    def over_safety_target(self) -> bool:
        return self.combined >= self.safety_target

    @property
    def bucket(self) -> int:
        """Progress in steps of 25 %, for shading the map (0 to 4)."""
        return min(4, self.percent // 25)


@dataclass
class Dashboard:
    initiative: Initiative
    now: datetime
    rows: list[CountryRow]
    total: int
    total_rate_per_day: float
    total_projected_on: date | None
    states_required: int
    total_required: int
    days_left: int | None
    history: list[tuple[date, int, dict[str, int]]] = field(default_factory=list)
    last_read: dict[str, datetime | None] = field(default_factory=dict)
    online_total: int = 0
    register_total: int = 0
    paper_total: int = 0
    history_short: bool = False
    projection_min_days: int = 0
    invalid_percent: tuple[int, int] = (0, 0)

    @property
    def states_over(self) -> int:
        return sum(1 for row in self.rows if row.over_threshold)

    @property
    def total_percent(self) -> int:
        return math.floor(100 * self.total / self.total_required)

    @property
    def is_valid(self) -> bool:
        """Both conditions of the regulation: a million, and enough states over threshold."""
        return self.total >= self.total_required and self.states_over >= self.states_required

    @property
    def is_safely_valid(self) -> bool:
        """Both conditions with the safety margin: the total and enough states over their
        safety targets, so that what verification usually removes still leaves them met."""
        target = math.ceil(self.total_required * self.initiative.safety_target_percent / 100)
        states = sum(1 for row in self.rows if row.over_safety_target)
        return self.total >= target and states >= self.states_required

    @property
    def verdict(self) -> str:
        """ "not_yet", "unverified" (met on collected figures, not with the safety margin),
        "unverified_safe" (met with the margin, still unverified) or "verified"."""
        if not self.is_valid:
            return "not_yet"
        if self.initiative.verified:
            return "verified"
        return "unverified_safe" if self.is_safely_valid else "unverified"

    @property
    def online_by_state(self) -> bool:
        return any(row.online_known for row in self.rows)

    @property
    def leading(self) -> list[CountryRow]:
        return sorted(self.rows, key=lambda row: (-row.percent, row.iso))


def _project(current: int, target: int, rate: float, today: date) -> date | None:
    if current >= target:
        return None
    if rate <= 0:
        return None
    return today + timedelta(days=math.ceil((target - current) / rate))


class Figures:
    """All time series of one initiative, loaded once."""

    def __init__(self, initiative: Initiative) -> None:
        self.online: dict[str, Series] = defaultdict(Series)
        self.register: dict[str, Series] = defaultdict(Series)
        readings = (
            CounterReading.objects.filter(initiative=initiative)
            .order_by("read_at", "id")
            .values_list("source", "country", "count", "read_at")
        )
        for source, country, count, read_at in readings:
            target = self.online if source == CounterReading.Source.ONLINE else self.register
            target[str(country)].add(read_at, count)
        self.paper: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
        for batch in PaperBatch.objects.filter(initiative=initiative, counted_at__isnull=False):
            assert batch.counted_at is not None
            self.paper[str(batch.country)].append((batch.counted_at, batch.counted_statements))
        # Paper as a running sum in time order, per state (a step function like the
        # counters): the paper counted by a moment is one bisection, where summing the
        # batches cost a pass over all of them per moment (and the chart asks for 120 days
        # x 27 states of moments).
        self.paper_counted: dict[str, Series] = {}
        for iso, batches in self.paper.items():
            series = self.paper_counted[iso] = Series()
            running = 0
            for at, n in sorted(batches):
                running += n
                series.add(at, running)

    def paper_at(self, iso: str, moment: datetime) -> int:
        """Statements in the batches counted at or before ``moment``."""
        return self.paper_counted[iso].at(moment) if iso in self.paper_counted else 0

    def combined_at(self, iso: str, moment: datetime) -> int:
        online = self.online[iso].at(moment) if iso in self.online else 0
        register = self.register[iso].at(moment) if iso in self.register else 0
        return max(register, online + self.paper_at(iso, moment))

    def states_at(self, codes: list[str], moment: datetime) -> dict[str, int]:
        return {iso: self.combined_at(iso, moment) for iso in codes}

    def total_at(
        self, codes: list[str], moment: datetime, per_state: dict[str, int] | None = None
    ) -> int:
        """The best estimate of the total; ``per_state`` is ``states_at(codes, moment)``
        when the caller has it already."""
        if per_state is None:
            per_state = self.states_at(codes, moment)
        by_country = sum(per_state[iso] for iso in codes)
        online_total = self.online[TOTAL].at(moment) if TOTAL in self.online else 0
        register_total = self.register[TOTAL].at(moment) if TOTAL in self.register else 0
        paper_total = sum(self.paper_at(iso, moment) for iso in codes)
        return max(by_country, register_total, online_total + paper_total)

    def history_at(
        self, codes: list[str], moments: list[datetime]
    ) -> list[tuple[int, dict[str, int]]]:
        """(``total_at``, ``states_at``) of every moment: the same figures, worked out a
        state at a time over all the moments instead of a moment at a time."""
        zeros = [0] * len(moments)

        def each(series: dict[str, Series], iso: str) -> list[int]:
            return series[iso].at_each(moments) if iso in series else zeros

        paper: dict[str, list[int]] = {}
        combined: dict[str, list[int]] = {}
        for iso in codes:
            paper[iso] = each(self.paper_counted, iso)
            combined[iso] = [
                max(register, online + counted)
                for online, register, counted in zip(
                    each(self.online, iso), each(self.register, iso), paper[iso], strict=True
                )
            ]
        online_total = each(self.online, TOTAL)
        register_total = each(self.register, TOTAL)
        points = []
        for k in range(len(moments)):
            per_state = {iso: combined[iso][k] for iso in codes}
            paper_total = sum(paper[iso][k] for iso in codes)
            by_country = sum(per_state.values())
            total = max(by_country, register_total[k], online_total[k] + paper_total)
            points.append((total, per_state))
        return points

    def moments(self, iso: str | None = None) -> list[datetime]:
        """When figures of ``iso`` (every state and the totals, if None) were read or
        counted, in time order."""
        sources = [self.online, self.register]
        if iso is None:
            found = {t for source in sources for series in source.values() for t in series.times}
            found |= {at for batches in self.paper.values() for at, _ in batches}
        else:
            found = {t for source in sources if iso in source for t in source[iso].times}
            found |= {at for at, _ in self.paper.get(iso, [])}
        return sorted(found)

    def first_reached(self, iso: str, threshold: int) -> datetime | None:
        """The moment the state first crossed its line, from the stored time series."""
        moments = sorted(
            {*self.online[iso].times, *self.register[iso].times, *(a for a, _ in self.paper[iso])}
        )
        for moment in moments:
            if self.combined_at(iso, moment) >= threshold:
                return moment
        return None


def build(initiative: Initiative, now: datetime | None = None, history: bool = False) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    ruleset = rules.load()
    thresholds = initiative.thresholds()
    codes = ruleset.codes()
    figures = Figures(initiative)
    min_days = int(settings.RECLAIM["ECI_PROJECTION_MIN_DAYS"])

    def history_short(moments: list[datetime]) -> bool:
        """Fewer than two readings up to now at least ``min_days`` apart."""
        moments = [moment for moment in moments if moment <= now]
        return len(moments) < 2 or moments[-1] - moments[0] < timedelta(days=min_days)

    before = now - RATE_WINDOW
    now_by_state = figures.states_at(codes, now)
    before_by_state = figures.states_at(codes, before)
    rows = []
    for country in ruleset.countries:
        iso = country.iso
        threshold = thresholds[iso]
        combined = now_by_state[iso]
        rate = (combined - before_by_state[iso]) / RATE_WINDOW.days
        short = history_short(figures.moments(iso))
        online_known = iso in figures.online  # before first_reached(), which adds the key
        rows.append(
            CountryRow(
                iso=iso,
                name=str(countries.name(iso)),  # in the visitor's language
                threshold=threshold,
                safety_target=math.ceil(threshold * initiative.safety_target_percent / 100),
                online=figures.online[iso].at(now) if iso in figures.online else 0,
                register=figures.register[iso].at(now) if iso in figures.register else 0,
                paper=figures.paper_at(iso, now),
                combined=combined,
                rate_per_day=rate,
                reached_on=figures.first_reached(iso, threshold) if combined >= threshold else None,
                projected_on=None if short else _project(combined, threshold, rate, today),
                online_known=online_known,
                history_short=short and combined < threshold,
            )
        )
    total = figures.total_at(codes, now, now_by_state)
    total_rate = (total - figures.total_at(codes, before, before_by_state)) / RATE_WINDOW.days
    total_short = history_short(figures.moments())
    dashboard = Dashboard(
        initiative=initiative,
        now=now,
        rows=rows,
        total=total,
        total_rate_per_day=total_rate,
        total_projected_on=(
            None if total_short else _project(total, ruleset.total_required, total_rate, today)
        ),
        states_required=ruleset.states_required,
        total_required=ruleset.total_required,
        # A closed initiative's figures are final: no days left, nothing to project.
        days_left=None if initiative.collection_closed else initiative.days_left(today),
        last_read={
            "online": max((s.latest_time() or now for s in figures.online.values()), default=None),
            "register": max(
                (s.latest_time() or now for s in figures.register.values()), default=None
            ),
        },
        online_total=figures.online[TOTAL].at(now) if TOTAL in figures.online else 0,
        register_total=figures.register[TOTAL].at(now) if TOTAL in figures.register else 0,
        paper_total=sum(figures.paper_at(iso, now) for iso in codes),
        history_short=total_short,
        projection_min_days=min_days,
        invalid_percent=ruleset.invalid_percent,
    )
    if history:
        dashboard.history = _history(figures, codes, initiative, now)
    return dashboard


def _history(
    figures: Figures, codes: list[str], initiative: Initiative, now: datetime
) -> list[tuple[date, int, dict[str, int]]]:
    """Figures per day over the collection period (up to now), for the chart. Long periods
    are sampled every few days so the chart never needs more than about 120 points."""

    def moment(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, datetime.max.time()))

    today = timezone.localdate(now)
    end = min(today, initiative.collection_end) if initiative.collection_end else today
    start = initiative.collection_start or end - timedelta(days=365)
    if start > end:
        return []
    step = max(1, (end - start).days // 120)
    days = [start + timedelta(days=n) for n in range(0, (end - start).days + 1, step)]
    if days[-1] != end:
        days.append(end)
    # In UTC as the database gives its times: datetimes in one tzinfo compare as plain
    # fields, in two they compare by working out both offsets, ten times slower.
    moments = [min(moment(day), now).astimezone(UTC) for day in days]
    return [
        (day, total, per_state)
        for day, (total, per_state) in zip(days, figures.history_at(codes, moments), strict=True)
    ]
