"""The threshold dashboard's arithmetic: merging sources, validity, projections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reclaim.eci import rules
from reclaim.eci.dashboard import build
from reclaim.eci.models import CounterReading, PaperBatch

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def read(initiative, source, figures, at=NOW):
    for country, count in figures.items():
        CounterReading.objects.create(
            initiative=initiative, source=source, country=country, count=count, read_at=at
        )


def test_six_states_and_a_million_is_shown_as_not_yet_valid_through_http(client, initiative):
    thresholds = initiative.thresholds()
    six = ["DE", "FR", "IT", "ES", "PL", "NL"]
    figures = {iso: thresholds[iso] for iso in six}
    short = {iso: thresholds[iso] - 1 for iso in rules.load().codes() if iso not in six}
    figures |= short
    figures["DE"] += 1_000_000 - sum(figures.values())
    read(initiative, "register", figures)
    board = build(initiative, now=NOW)
    assert board.total == 1_000_000
    assert board.states_over == 6
    assert not board.is_valid
    page = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    assert "Not yet valid" in page
    assert "6 of the 7 needed" in page


def test_seven_states_and_a_million_is_valid(initiative):
    thresholds = initiative.thresholds()
    seven = ["DE", "FR", "IT", "ES", "PL", "NL", "RO"]
    figures = {iso: thresholds[iso] for iso in seven}
    figures["DE"] += 1_000_000 - sum(figures.values())
    read(initiative, "register", figures)
    board = build(initiative, now=NOW)
    assert board.states_over == 7
    assert board.is_valid


def test_the_best_estimate_never_counts_declared_paper_twice(initiative):
    read(initiative, "online", {"DE": 1000})
    read(initiative, "register", {"DE": 1500})  # online plus 500 declared paper
    PaperBatch.objects.create(
        initiative=initiative,
        reference="B1",
        partner="CCC",
        country="DE",
        sheets=50,
        statements=500,
        counted_at=NOW - timedelta(days=1),
    )
    row = {r.iso: r for r in build(initiative, now=NOW).rows}["DE"]
    assert (row.online, row.register, row.paper, row.combined) == (1000, 1500, 500, 1500)
    # Paper counted by us but not yet in the register lifts the estimate above it.
    PaperBatch.objects.create(
        initiative=initiative,
        reference="B2",
        partner="CCC",
        country="DE",
        sheets=40,
        statements=400,
        counted_at=NOW - timedelta(hours=1),
    )
    row = {r.iso: r for r in build(initiative, now=NOW).rows}["DE"]
    assert row.combined == 1900


def test_a_batch_counts_only_once_counted_and_then_by_its_certified_figure(initiative):
    batch = PaperBatch.objects.create(
        initiative=initiative,
        reference="B1",
        partner="CCC",
        country="FR",
        sheets=10,
        statements=100,
    )
    assert {r.iso: r for r in build(initiative, now=NOW).rows}["FR"].paper == 0
    batch.counted_at = NOW - timedelta(days=2)
    batch.save()
    assert {r.iso: r for r in build(initiative, now=NOW).rows}["FR"].paper == 100
    batch.valid_count = 87
    batch.save()
    assert {r.iso: r for r in build(initiative, now=NOW).rows}["FR"].paper == 87


def test_the_projection_uses_the_rate_of_the_last_seven_days(initiative):
    assert initiative.thresholds()["AT"] == 14_400
    read(initiative, "register", {"AT": 1000}, at=NOW - timedelta(days=7))
    read(initiative, "register", {"AT": 8000}, at=NOW)
    row = {r.iso: r for r in build(initiative, now=NOW).rows}["AT"]
    assert row.rate_per_day == 1000
    # 6,400 to go at 1,000 a day: seven days.
    assert row.projected_on == NOW.date() + timedelta(days=7)
    # A state with no growth has no projected date.
    read(initiative, "register", {"LU": 10}, at=NOW - timedelta(days=8))
    assert {r.iso: r for r in build(initiative, now=NOW).rows}["LU"].projected_on is None


def test_the_moment_a_state_crossed_its_line_is_found_in_the_time_series(initiative):
    threshold = initiative.thresholds()["MT"]
    read(initiative, "register", {"MT": threshold - 10}, at=NOW - timedelta(days=3))
    read(initiative, "register", {"MT": threshold + 5}, at=NOW - timedelta(days=2))
    read(initiative, "register", {"MT": threshold + 50}, at=NOW)
    row = {r.iso: r for r in build(initiative, now=NOW).rows}["MT"]
    assert row.over_threshold
    assert row.reached_on == NOW - timedelta(days=2)


def test_the_safety_target_defaults_to_120_percent(initiative):
    row = {r.iso: r for r in build(initiative, now=NOW).rows}["DE"]
    assert row.safety_target == 82_944  # 69,120 x 1.2


def test_the_rfy_initiative_uses_the_705_table(rfy_initiative):
    assert rfy_initiative.table.id == "2019"
    assert rfy_initiative.thresholds()["DE"] == 67_680
