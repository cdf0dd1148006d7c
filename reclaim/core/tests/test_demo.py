"""`reclaim demo` loads a believable campaign, twice without harm, and leaks no address."""

from __future__ import annotations

import stat
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from reclaim.core.demo import KEY_FILE, PASSPHRASE_FILE, load_organisations
from reclaim.core.demo.content import EU_POPULATION, LETTER, PETITION
from reclaim.core.demo.eci import NEW_NUMBER, NEW_SLUG, RYF_SLUG, load_ryf_figures
from reclaim.eci.dashboard import build
from reclaim.eci.models import CounterReading, Initiative, PaperBatch, Sponsor
from reclaim.eci.sponsors import disclosed
from reclaim.keyring.models import PublicKey
from reclaim.letters.models import CountryCount, Petition, Signature
from reclaim.lib.sealing import load_private_file, open_box

pytestmark = pytest.mark.django_db

SIGNATURES = 60


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path

    def run(**options: Any) -> str:
        out = StringIO()
        call_command("demo", signatures=SIGNATURES, stdout=out, **options)
        return out.getvalue()

    return run


def _snapshot() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "keys": PublicKey.objects.count(),
        "petitions": Petition.objects.count(),
        "signatures": Signature.objects.count(),
        "counts": CountryCount.objects.count(),
        "initiatives": Initiative.objects.count(),
        "readings": CounterReading.objects.count(),
        "batches": PaperBatch.objects.count(),
        "sponsors": Sponsor.objects.count(),
    }


def test_it_creates_nothing_twice(demo):
    demo()
    first = _snapshot()
    output = demo()
    assert _snapshot() == first
    assert first["users"] == 2
    assert first["keys"] == 1
    assert first["petitions"] == 2
    assert first["initiatives"] == 2
    assert first["batches"] == 5
    assert first["sponsors"] == 5
    assert "0 signatures added now" in output
    assert "0 readings, 0 paper batches and 0 sponsors added now" in output


def test_it_prints_new_working_passwords_on_each_run(demo, client):
    first, second = demo(), demo()
    line = next(line for line in second.splitlines() if line.strip().startswith("organiser"))
    password = line.split()[1]
    assert password not in first
    assert client.login(username="organiser", password=password)
    assert "/en/admin/" in second


def test_it_puts_the_staff_in_their_roles(demo):
    demo()
    users = get_user_model().objects
    assert users.get(username="organiser", is_staff=True).groups.filter(name="Organisers")
    assert users.get(username="moderator", is_staff=True).groups.filter(name="Moderators")
    assert not users.get(username="moderator").groups.filter(name="Organisers")


def test_it_lists_the_letters_cosigning_organisations(demo):
    demo()
    letter = Petition.objects.get(slug=LETTER.slug)
    organisations = letter.signatures.counted().filter(
        kind=Signature.Kind.ORGANISATION, review=Signature.Review.APPROVED, listed=True
    )
    assert organisations.count() >= 50
    assert all(signature.is_public for signature in organisations)
    assert letter.kind == Petition.Kind.LETTER
    assert letter.recipients == "Members of the European Parliament"


def test_it_keeps_the_closed_letter_out_of_the_purge(demo):
    from reclaim.letters.retention import petitions_due

    demo()
    letter = Petition.objects.get(slug=LETTER.slug)
    assert letter.status == Petition.Status.CLOSED
    assert letter not in petitions_due()


def test_it_counts_signatures_in_every_member_state(demo):
    demo()
    petition = Petition.objects.get(slug=PETITION.slug)
    counted = {
        str(row.country) for row in CountryCount.objects.filter(petition=petition, count__gt=0)
    }
    assert set(EU_POPULATION) <= counted
    assert len(EU_POPULATION) == 27
    assert petition.signatures.filter(confirmed_at__isnull=True).exists()
    assert petition.signatures.filter(kind=Signature.Kind.INDIVIDUAL, listed=True).exists()
    assert petition.signatures.filter(kind=Signature.Kind.INDIVIDUAL, listed=False).exists()


def test_it_stores_no_plaintext_email(demo):
    demo()
    for signature in Signature.objects.all():
        assert b"@example.org" not in bytes(signature.sealed)
        assert "@" not in signature.public_name
        assert "@" not in signature.public_website
        assert "@" not in (signature.email_hash or "")
        assert len(signature.email_hash) == 64


def test_its_sealed_boxes_open_with_the_written_key_file(demo, settings):
    demo()
    key_file = settings.DATA_DIR / KEY_FILE
    passphrase_file = settings.DATA_DIR / PASSPHRASE_FILE
    for path in (key_file, passphrase_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key_id, private_key = load_private_file(
        key_file.read_bytes(), passphrase_file.read_text().strip()
    )
    for slug in (LETTER.slug, PETITION.slug):
        signature = Signature.objects.filter(petition__slug=slug).first()
        assert signature.key_id == key_id
        payload = open_box(private_key, bytes(signature.sealed), signature.petition.context())
        assert payload["email"].endswith("@example.org")
        assert payload["country"] == signature.country


def test_it_refuses_a_production_configuration(demo, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        demo()
    assert not Petition.objects.exists()


# --- Citizens' initiatives ------------------------------------------------------------

RYF_NUMBER = "ECI(2021)000001"


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


def test_reclaim_your_face_ends_on_its_registered_figures(demo):
    demo()
    demo()
    ryf = Initiative.objects.get(registration_number=RYF_NUMBER)
    known = load_ryf_figures()
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
    coalition = {org["name"] for org in load_organisations()}
    assert {batch.partner for batch in batches} <= coalition
    sent = [batch for batch in batches if batch.sent_at is not None]
    assert all(batch.sent_means == "registered post" for batch in sent)
    certified = batches.get(certified_at__isnull=False)
    assert 0 < certified.valid_count <= certified.statements
    assert all(batch.received_at < timezone.now() - timedelta(days=1) for batch in batches)


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


def test_both_dashboards_answer_through_http(demo, client, settings):
    output = demo()
    for slug in (RYF_SLUG, NEW_SLUG):
        assert f"{settings.BASE_URL}/en/eci/{slug}/dashboard/" in output
        response = client.get(f"/en/eci/{slug}/dashboard/")
        assert response.status_code == 200
    page = client.get(f"/en/eci/{NEW_SLUG}/dashboard/").content.decode()
    assert "Not yet valid" in page
