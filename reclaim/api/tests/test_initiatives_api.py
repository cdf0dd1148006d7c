"""Citizens' initiatives in the public API: the dashboard's figures, and nothing personal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reclaim.eci.dashboard import build
from reclaim.eci.models import CounterReading, PaperBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(initiative):
    """Register and online figures read an hour ago, and a counted paper batch."""
    initiative.representative_name = "Rita Representative"
    initiative.representative_email = "rita.rep@example.org"
    initiative.save()
    at = timezone.now() - timedelta(hours=1)
    thresholds = initiative.thresholds()
    register = {"DE": thresholds["DE"] + 10, "FR": 5000, "": thresholds["DE"] + 5010}
    online = {"": thresholds["DE"] + 6000}
    for source, readings in (("register", register), ("online", online)):
        for country, count in readings.items():
            CounterReading.objects.create(
                initiative=initiative, source=source, country=country, count=count, read_at=at
            )
    PaperBatch.objects.create(
        initiative=initiative,
        reference="B1",
        partner="CCC",
        country="AT",
        sheets=30,
        statements=300,
        counted_at=at,
    )
    return initiative


def test_an_initiative_has_the_dashboards_figures_per_member_state(client, figures):
    data = client.get("/api/v1/initiatives/ban-biometric").json()
    board = build(figures)
    assert data["total"] == board.total
    assert data["total_required"] == board.total_required == 1_000_000
    assert data["states_over"] == board.states_over == 1
    assert data["states_required"] == board.states_required
    assert data["verdict"] == board.verdict
    assert data["online_total"] == board.online_total
    assert data["register_total"] == board.register_total
    assert data["paper_total"] == board.paper_total == 300
    rows = {row.iso: row for row in board.rows}
    states = {state["iso"]: state for state in data["states"]}
    assert set(states) == set(rows)
    for iso, row in rows.items():
        state = states[iso]
        assert state["threshold"] == row.threshold
        assert state["safety_target"] == row.safety_target
        assert state["register"] == row.register
        assert state["paper"] == row.paper
        assert state["combined"] == row.combined
        assert state["percent"] == row.percent
        assert state["over_threshold"] == row.over_threshold
        # The Commission's online counter gives a total only: per state it is unknown.
        assert state["online"] is None
    assert states["DE"]["over_threshold"] is True
    assert states["AT"]["paper"] == 300


def test_an_initiative_says_when_its_counters_were_read_and_whether_they_are_stale(client, figures):
    counters = client.get("/api/v1/initiatives/ban-biometric").json()["counters"]
    assert set(counters) == {"online", "register"}
    for counter in counters.values():
        assert counter["read_at"]
        assert isinstance(counter["stale"], bool)


def test_the_list_gives_each_initiatives_totals(client, figures):
    data = client.get("/api/v1/initiatives").json()
    board = build(figures)
    assert data["count"] == 1
    [item] = data["items"]
    assert item["slug"] == "ban-biometric"
    assert item["total"] == board.total
    assert item["states_over"] == board.states_over
    assert item["url"] == "http://testserver/en/eci/ban-biometric/"


def test_no_personal_data_is_given(client, figures):
    for path in ("/api/v1/initiatives", "/api/v1/initiatives/ban-biometric"):
        body = client.get(path).content.decode()
        assert "rita.rep@example.org" not in body
        assert "Rita Representative" not in body
        assert "representative" not in body


def test_an_unknown_initiative_gives_a_json_404(client, db):
    response = client.get("/api/v1/initiatives/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
