"""The threshold dashboard's arithmetic: merging sources, validity, projections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from reclaim.eci import rules
from reclaim.eci.dashboard import build
from reclaim.eci.models import CounterReading, Initiative, PaperBatch

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


def test_a_closed_initiative_shows_final_figures_and_no_days_left(client, rfy_initiative):
    read(rfy_initiative, "register", {"DE": 37_621, "": 78_092}, at=NOW - timedelta(days=30))
    page = client.get("/en/eci/reclaim-your-face/dashboard/").content.decode()
    assert "Final figures at the close of collection on Aug. 1, 2022." in page
    assert "Days left" not in page
    assert "Collection closed without meeting both conditions" in page
    assert "Not yet valid" not in page
    assert "reaches one million around" not in page
    assert build(rfy_initiative, now=NOW).days_left is None


def _met(initiative, percent):
    """Seven states at ``percent`` % of their threshold, the total at ``percent`` % of a
    million."""
    thresholds = initiative.thresholds()
    seven = ["DE", "FR", "IT", "ES", "PL", "NL", "RO"]
    figures = {iso: thresholds[iso] * percent // 100 for iso in seven}
    figures["DE"] += 1_000_000 * percent // 100 - sum(figures.values())
    read(initiative, "register", figures, at=timezone.now() - timedelta(hours=1))


def test_met_on_unverified_figures_without_the_margin_says_so(client, initiative):
    _met(initiative, 105)
    page = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    assert "Both conditions are met on unverified figures" in page
    assert "not yet verified by the national authorities" in page
    assert "but not with the safety margin of 120 %" in page
    assert "Verification usually removes 10 to 25 % of statements." in page
    assert build(initiative).verdict == "unverified"


def test_met_with_the_margin_is_still_unverified(client, initiative):
    _met(initiative, 125)
    page = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    assert "Both conditions are met with the safety margin of 120 %, on unverified" in page
    assert "Verification usually removes 10 to 25 % of statements." in page
    assert build(initiative).verdict == "unverified_safe"


def test_verified_figures_are_said_to_be_verified(client, initiative):
    _met(initiative, 101)
    initiative.status = Initiative.Status.SUBMITTED
    initiative.save()
    page = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    assert "the national authorities have verified the statements" in page
    assert "unverified" not in page
    assert build(initiative).verdict == "verified"


def test_not_yet_met_is_the_verdict_below_the_conditions(initiative):
    _met(initiative, 99)
    assert build(initiative).verdict == "not_yet"


def test_the_online_total_is_shown_when_the_commission_gives_no_state_figures(client, initiative):
    read(initiative, "register", {"DE": 200_000, "": 400_000}, at=timezone.now())
    read(initiative, "online", {"": 359_491}, at=timezone.now())
    board = build(initiative)
    assert board.online_total == 359_491
    assert not board.online_by_state
    page = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    assert "359,491" in page
    assert "not given per member state" in page
    assert "gives its online figure as a total only" in page
    # The best estimate still counts the register, not online twice.
    assert board.total == 400_000


def test_online_figures_per_state_are_shown_where_they_exist(initiative):
    read(initiative, "online", {"AT": 1234, "": 1234}, at=NOW)
    rows = {r.iso: r for r in build(initiative, now=NOW).rows}
    assert rows["AT"].online_known and rows["AT"].online == 1234
    assert not rows["DE"].online_known


def test_one_figure_projects_nothing(client, initiative):
    # One figure typed in by hand, as in the issue: it said one million by tomorrow.
    read(initiative, "register", {"DE": 999_999, "": 999_999}, at=timezone.now())
    board = build(initiative)
    assert board.history_short
    assert board.total_projected_on is None
    page = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    assert "Too early to project: a projection needs readings at least 7 days apart." in page
    assert "reaches one million around" not in page


def test_two_readings_closer_than_the_minimum_project_nothing(initiative, settings):
    settings.RECLAIM = settings.RECLAIM | {"ECI_PROJECTION_MIN_DAYS": 7}
    read(initiative, "register", {"AT": 1000}, at=NOW - timedelta(days=6))
    read(initiative, "register", {"AT": 8000}, at=NOW)
    board = build(initiative, now=NOW)
    row = {r.iso: r for r in board.rows}["AT"]
    assert row.projected_on is None and row.history_short
    assert board.total_projected_on is None
    read(initiative, "register", {"AT": 500}, at=NOW - timedelta(days=7))
    assert {r.iso: r for r in build(initiative, now=NOW).rows}["AT"].projected_on is not None
