"""The dashboard's indexed arithmetic gives exactly what the plain definitions give.

``PlainFigures`` and ``plain_history`` are the dashboard's first, straightforward code: each
figure summed from every paper batch, each day's total recomputing every state. They are
slow, and kept here as the reference the faster code must agree with to the last digit.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from reclaim.eci import dashboard, rules
from reclaim.eci.dashboard import TOTAL, Figures, build
from reclaim.eci.models import CounterReading, Initiative, PaperBatch

pytestmark = pytest.mark.django_db


class PlainFigures(Figures):
    def paper_at(self, iso: str, moment: datetime) -> int:
        return sum(n for at, n in self.paper.get(iso, []) if at <= moment)

    def combined_at(self, iso: str, moment: datetime) -> int:
        online = self.online[iso].at(moment) if iso in self.online else 0
        register = self.register[iso].at(moment) if iso in self.register else 0
        return max(register, online + self.paper_at(iso, moment))

    def total_at(
        self, codes: list[str], moment: datetime, per_state: dict[str, int] | None = None
    ) -> int:
        by_country = sum(self.combined_at(iso, moment) for iso in codes)
        online_total = self.online[TOTAL].at(moment) if TOTAL in self.online else 0
        register_total = self.register[TOTAL].at(moment) if TOTAL in self.register else 0
        paper_total = sum(self.paper_at(iso, moment) for iso in codes)
        return max(by_country, register_total, online_total + paper_total)

    def first_reached(self, iso: str, threshold: int) -> datetime | None:
        moments = sorted(
            {*self.online[iso].times, *self.register[iso].times, *(a for a, _ in self.paper[iso])}
        )
        for moment in moments:
            if self.combined_at(iso, moment) >= threshold:
                return moment
        return None


def plain_history(
    figures: Figures, codes: list[str], initiative: Initiative, now: datetime
) -> list[tuple[date, int, dict[str, int]]]:
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
    points = []
    for day in days:
        at = min(moment(day), now)
        per_state = {iso: figures.combined_at(iso, at) for iso in codes}
        points.append((day, figures.total_at(codes, at), per_state))
    return points


def both(monkeypatch: Any, initiative: Initiative, now: datetime) -> tuple[Any, Any]:
    """(fast, plain): the whole dashboard, history included, as plain data."""
    fast = dataclasses.asdict(build(initiative, now=now, history=True))
    with monkeypatch.context() as patch:
        patch.setattr(dashboard, "Figures", PlainFigures)
        patch.setattr(dashboard, "_history", plain_history)
        plain = dataclasses.asdict(build(initiative, now=now, history=True))
    return fast, plain


def _day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.max.time()))


@pytest.fixture
def busy_initiative(initiative: Initiative) -> Initiative:
    """Half a year of figures from every source: daily register reads of every state, online
    totals and a few online states, and paper in eight states at every custody step, with
    moments that tie and moments that fall exactly on a day's last instant."""
    rng = random.Random("reclaim-eci-equivalence")
    codes = rules.load().codes()
    assert initiative.collection_start is not None
    readings = []
    register = dict.fromkeys(codes, 0)
    online_total = 0
    online_states = dict.fromkeys(["DE", "FR", "MT", "LU"], 0)
    for n in range(230):
        day = initiative.collection_start + timedelta(days=n)
        at = datetime.combine(day, time(rng.randrange(24), rng.randrange(60)), UTC)
        if n % 9 == 4:
            at = _day_end(day)
        if n % 5 != 3:  # the register is not read every day
            for iso in rng.sample(codes, 22) if n % 7 == 0 else codes:
                register[iso] += rng.randrange(0, 900 if iso in ("DE", "FR", "IT") else 140)
                readings.append(("register", iso, register[iso], at))
            readings.append(("register", "", sum(register.values()) - rng.randrange(50), at))
        online_total += rng.randrange(500, 4000)
        readings.append(("online", "", online_total, at + timedelta(hours=1)))
        for iso in online_states:
            online_states[iso] += rng.randrange(0, 300)
            readings.append(("online", iso, online_states[iso], at + timedelta(hours=1)))
    CounterReading.objects.bulk_create(
        CounterReading(initiative=initiative, source=s, country=c, count=n, read_at=at)
        for s, c, n, at in readings
    )
    batches = []
    paper_states = ["DE", "FR", "MT", "LU", "CY", "IE", "AT", "PT"]
    for n in range(60):
        day = initiative.collection_start + timedelta(days=rng.randrange(230))
        counted = datetime.combine(day, time(rng.randrange(24)), UTC)
        if n % 6 == 0:
            counted = _day_end(day)
        if n % 11 == 0 and batches:
            counted = batches[-1].counted_at or counted  # counted together with the last one
        statements = rng.randrange(20, 4000)
        batches.append(
            PaperBatch(
                initiative=initiative,
                reference=f"EQ-{n}",
                partner="CCC",
                country=paper_states[n % len(paper_states)],
                sheets=statements // 8 + 1,
                statements=statements,
                counted_at=None if n % 10 == 9 else counted,
                valid_count=rng.randrange(statements) if n % 4 == 1 else None,
            )
        )
    PaperBatch.objects.bulk_create(batches)
    return initiative


MOMENTS = [
    datetime(2025, 5, 1, tzinfo=UTC),  # before collection
    datetime(2025, 6, 1, 0, 0, tzinfo=UTC),  # its first instant
    datetime(2025, 8, 14, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(2025, 11, 3, 9, 30, tzinfo=UTC),
    datetime(2026, 1, 15, 12, 0, tzinfo=UTC),
    datetime(2026, 7, 1, tzinfo=UTC),  # after the end
]


@pytest.mark.parametrize("now", MOMENTS, ids=lambda now: now.isoformat())
def test_the_fast_figures_equal_the_plain_ones_over_half_a_year(monkeypatch, busy_initiative, now):
    fast, plain = both(monkeypatch, busy_initiative, now)
    assert fast == plain
    if now >= MOMENTS[2]:  # the fixture reaches every branch, not only zeros
        assert fast["total"] > 0
        assert any(row["paper"] and row["online"] and row["register"] for row in fast["rows"])
        assert any(row["reached_on"] for row in fast["rows"])


def test_the_fast_figures_equal_the_plain_ones_for_the_demo(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", signatures=27, stdout=StringIO())
    initiatives = list(Initiative.objects.order_by("pk"))
    assert len(initiatives) == 2
    assert PaperBatch.objects.filter(counted_at__isnull=False).exists()
    now = timezone.now()
    for initiative in initiatives:
        fast, plain = both(monkeypatch, initiative, now)
        assert fast == plain
        assert len(fast["history"]) > 100
