"""`reclaim demo` loads two citizens' initiatives through the services, twice without harm."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from reclaim.audit.models import AuditEntry
from reclaim.demo.facts import organisations
from reclaim.demo.steps import STEPS, DemoContext
from reclaim.eci.dashboard import build
from reclaim.eci.demo import collecting, reclaim_your_face, run
from reclaim.eci.models import CounterReading, Initiative, PaperBatch, Sponsor
from reclaim.eci.sponsors import disclosed

pytestmark = pytest.mark.django_db

RYF_NUMBER = "ECI(2021)000001"
RYF_SLUG = reclaim_your_face.SLUG
NEW = collecting.facts()["initiative"]
NEW_NUMBER = NEW["registration_number"]
NEW_SLUG = NEW["slug"]


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Callable[[], str]:
    """Run the ECI step as `reclaim demo` does; what it reports, as the command prints it."""
    settings.DATA_DIR = tmp_path

    def load() -> str:
        context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=27)
        with translation.override("en"):
            report = run(context)
        return "\n".join([report.title, *(f"  {line}" for line in report.lines)])

    return load


def _snapshot() -> dict[str, int]:
    return {
        "initiatives": Initiative.objects.count(),
        "readings": CounterReading.objects.count(),
        "batches": PaperBatch.objects.count(),
        "sponsors": Sponsor.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def _germany(page: str) -> str:
    start = page.index('<th scope="row">Germany</th>')
    return page[start : page.index("</tr>", start)]


def test_it_is_a_step_of_reclaim_demo():
    assert "eci.initiatives" in [step.name for step in STEPS]


def test_a_second_run_adds_nothing(demo):
    demo()
    first = _snapshot()
    output = demo()
    assert _snapshot() == first
    assert first["initiatives"] == 2
    assert first["batches"] == 5
    assert first["sponsors"] == 5
    assert output.count("0 readings, 0 paper batches and 0 sponsors added now") == 2
    assert output.count("already there") == 2


def test_it_loads_each_initiative_once(demo):
    demo()
    demo()
    assert Initiative.objects.filter(registration_number=RYF_NUMBER, slug=RYF_SLUG).count() == 1
    assert Initiative.objects.filter(registration_number=NEW_NUMBER, slug=NEW_SLUG).count() == 1
    assert Initiative.objects.count() == 2


def test_a_second_run_adds_no_readings(demo):
    demo()
    first = {i.slug: i.readings.count() for i in Initiative.objects.all()}
    demo()
    assert {i.slug: i.readings.count() for i in Initiative.objects.all()} == first
    assert all(count > 0 for count in first.values())


def test_it_says_what_there_is_and_where_to_see_it(demo, settings):
    output = demo()
    assert output.startswith("Citizens' initiatives")
    for number, slug in ((RYF_NUMBER, RYF_SLUG), (NEW_NUMBER, NEW_SLUG)):
        assert f"  {number} " in output
        assert f"{settings.BASE_URL}/en/eci/{slug}/dashboard/" in output
    assert "collection closed, created; threshold table 2019" in output
    assert "collecting, created; threshold table 2024" in output
    assert (
        "78,092 statements (7 % of a million), 0 of the 7 member states needed over "
        "threshold: not yet valid"
    ) in output
    assert "5 paper batches and 5 sponsors added now" in output


def test_it_goes_through_the_services_and_leaves_their_audit_trail(demo):
    demo()
    entries = AuditEntry.objects.filter(actor="demo")
    readings = entries.filter(action="eci.figures.manual")
    register_sets = CounterReading.objects.filter(country="", source="register").count()
    online_sets = CounterReading.objects.filter(country="", source="online").count()
    assert readings.count() == register_sets + online_sets
    assert entries.filter(action="paper.received").count() == 5
    assert entries.filter(action="sponsor.add").count() == 5
    assert not AuditEntry.objects.exclude(actor="demo").exists()


def test_reclaim_your_face_ends_on_its_registered_figures(demo, client):
    demo()
    demo()
    ryf = Initiative.objects.get(registration_number=RYF_NUMBER)
    known = reclaim_your_face.facts()
    board = build(ryf)
    assert board.total == known["final_total"] == 78_092
    rows = {row.iso: row for row in board.rows}
    for iso, count in known["per_country_known"].items():
        assert rows[iso].register == count
    assert sum(row.register for row in board.rows) == 78_092
    assert all(row.register > 0 for row in board.rows)
    assert board.states_over == 0
    assert ryf.table.id == "2019"
    assert ryf.status == Initiative.Status.CLOSED
    assert not ryf.online_counter_url and not ryf.register_counter_url
    page = client.get(f"/en/eci/{RYF_SLUG}/dashboard/").content.decode()
    assert "78,092 of 1,000,000" in page
    assert "37,621" in _germany(page)


def test_reclaim_your_face_has_a_curve_with_a_total_at_every_reading(demo):
    demo()
    readings = CounterReading.objects.filter(initiative__slug=RYF_SLUG)
    assert set(readings.values_list("source", "origin").distinct()) == {("register", "manual")}
    totals = list(readings.filter(country="").order_by("read_at").values_list("count", flat=True))
    assert len(totals) >= 12
    assert totals == sorted(totals)
    assert totals[0] < totals[-1] == 78_092
    for total in readings.filter(country=""):
        states = readings.filter(read_at=total.read_at).exclude(country="")
        assert states.count() == 27
        assert sum(states.values_list("count", flat=True)) == total.count


def test_the_new_initiative_passes_the_threshold_in_some_states_only(demo):
    demo()
    new = Initiative.objects.get(registration_number=NEW_NUMBER)
    board = build(new)
    assert new.table.id == "2024"
    assert new.status == Initiative.Status.COLLECTING
    assert set(new.signing_links) == {"en", "de", "fr"}
    assert 1 <= board.states_over <= 6
    assert not board.is_valid
    assert board.total < 1_000_000
    assert any(40 <= row.percent < 95 for row in board.rows)
    assert new.readings.filter(source="online", country="").exists()
    assert new.readings.filter(source="register", country="").count() >= 10
    assert set(new.readings.values_list("origin", flat=True)) == {"manual"}


def test_the_partners_batches_stand_at_every_custody_step(demo):
    demo()
    demo()
    batches = PaperBatch.objects.filter(initiative__slug=NEW_SLUG)
    assert {batch.step for batch in batches} == {
        "received",
        "counted",
        "stored",
        "sent",
        "certified",
    }
    coalition = {organisation.name for organisation in organisations()}
    assert {batch.partner for batch in batches} <= coalition
    sent = [batch for batch in batches if batch.sent_at is not None]
    assert all(batch.sent_means == "registered post" for batch in sent)
    certified = batches.get(certified_at__isnull=False)
    assert 0 < certified.valid_count <= certified.statements
    assert all(batch.received_at < timezone.now() - timedelta(days=1) for batch in batches)


def test_a_batch_from_outside_the_coalition_stops_the_demo(demo, monkeypatch):
    data = collecting.facts()
    data["batches"][0]["partner"] = "Nobody we know"
    monkeypatch.setattr(collecting, "facts", lambda: data)
    with pytest.raises(LookupError, match="Nobody we know"):
        demo()
    assert not PaperBatch.objects.filter(partner="Nobody we know").exists()


def test_a_sponsor_at_the_minimum_is_recorded_but_not_shown(demo, client):
    demo()
    demo()
    new = Initiative.objects.get(slug=NEW_SLUG)
    assert new.sponsors.count() == 5
    shown = disclosed(new)
    assert shown.count() == 4
    hidden = new.sponsors.exclude(pk__in=shown).get()
    assert hidden.amount == 500
    page = client.get(f"/en/eci/{NEW_SLUG}/sponsors/").content.decode()
    assert hidden.name not in page
    assert all(sponsor.name in page for sponsor in shown)


def test_both_dashboards_answer_through_http(demo, client):
    demo()
    for slug in (RYF_SLUG, NEW_SLUG):
        response = client.get(f"/en/eci/{slug}/dashboard/")
        assert response.status_code == 200
    page = client.get(f"/en/eci/{NEW_SLUG}/dashboard/").content.decode()
    assert "Not yet valid" in page
    new = build(Initiative.objects.get(slug=NEW_SLUG))
    assert f"{new.total:,} of 1,000,000" in page
