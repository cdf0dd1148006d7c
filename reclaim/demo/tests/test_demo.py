"""`reclaim demo` loads a believable campaign through the apps' services, twice without
harm, and leaks no address. (The citizens' initiatives of the demo are tested with the
ECI app, in reclaim/eci/tests/test_demo.py.)"""

from __future__ import annotations

import csv
import json
import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.timezone import localtime

from reclaim.audit.models import AuditEntry
from reclaim.demo.facts import member_states, organisations
from reclaim.keyring.demo import KEY_FILE, PASSPHRASE_FILE
from reclaim.keyring.models import PublicKey
from reclaim.letters.models import CountryCount, Petition, Signature
from reclaim.letters.retention import expired_unconfirmed, petitions_due
from reclaim.lib.emailhash import email_hash
from reclaim.lib.sealing import load_private_file, open_box
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db

SIGNATURES = 60
DEMO = Path(__file__).resolve().parents[2] / "letters" / "demo"
LETTER = json.loads((DEMO / "letter.json").read_text(encoding="utf-8"))
PETITION = json.loads((DEMO / "petition.json").read_text(encoding="utf-8"))
FRONT_PAGE = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "front_page.json").read_text(encoding="utf-8")
)


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path

    def run(signatures: int = SIGNATURES, **options: Any) -> str:
        out = StringIO()
        call_command("demo", signatures=signatures, stdout=out, **options)
        return out.getvalue()

    return run


def _snapshot() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "keys": PublicKey.objects.count(),
        "petitions": Petition.objects.count(),
        "signatures": Signature.objects.count(),
        "counts": CountryCount.objects.count(),
    }


def _people(slug: str) -> dict[str, tuple[str, str]]:
    return {
        row.email_hash: (row.public_name, str(row.country))
        for row in Signature.objects.filter(petition__slug=slug)
    }


# --- Once, twice, and with more people -------------------------------------------------


def test_it_creates_nothing_twice(demo):
    demo()
    first = _snapshot()
    output = demo()
    assert _snapshot() == first
    # the organiser, the moderator, a partner and the atlas's three reviewers
    assert first["users"] == 6
    assert first["keys"] == 1
    assert first["petitions"] == 2
    assert "closed, already there; 0 signatures added now" in output
    assert "open, already there; 0 signatures added now" in output


def test_a_second_run_keeps_the_same_people(demo):
    demo()
    first = {slug: _people(slug) for slug in (LETTER["slug"], PETITION["slug"])}
    demo()
    assert {slug: _people(slug) for slug in first} == first


def test_a_run_with_more_signatures_adds_only_the_missing_people(demo):
    demo()
    before = _people(PETITION["slug"])
    output = demo(signatures=SIGNATURES + 20)
    after = _people(PETITION["slug"])
    assert "20 signatures added now" in output
    assert len(after) == len(before) + 20
    assert all(after[hashed] == person for hashed, person in before.items())


def test_it_sends_no_mail_and_audits_the_imports(demo):
    demo()
    assert not OutgoingMail.objects.exists()
    imports = AuditEntry.objects.filter(action="signature.import", actor="demo")
    # Every signature is imported, but those a partner's widget brought: they are signed
    # through the signing service, as a widget does (reclaim/coalition/demo_partner.py).
    imported = Signature.objects.filter(widget_key="").count()
    assert sum(imports.values_list("count", flat=True)) == imported
    assert Signature.objects.exclude(widget_key="").count() == 24
    assert AuditEntry.objects.filter(action="signature.approve", actor="demo").count() == 2


# --- Staff and key --------------------------------------------------------------------


def test_it_prints_new_passwords_that_sign_in_on_each_run(demo):
    first, second = demo(), demo()
    line = next(line for line in second.splitlines() if line.strip().startswith("organiser"))
    password = line.split()[1]
    assert password not in first
    assert "/en/admin/" in second
    client = Client()
    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "organiser", "password": password, "next": "/en/admin/"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/en/admin/"
    assert client.session["_auth_user_id"] == str(
        get_user_model().objects.get(username="organiser").pk
    )


def test_it_puts_the_staff_in_their_roles(demo):
    demo()
    users = get_user_model().objects
    assert users.get(username="organiser", is_staff=True).groups.filter(name="Organisers")
    assert users.get(username="moderator", is_staff=True).groups.filter(name="Moderators")
    assert not users.get(username="moderator").groups.filter(name="Organisers")


def test_its_key_file_opens_an_export_of_both_campaigns(demo, settings, tmp_path):
    output = demo()
    key_file = settings.DATA_DIR / KEY_FILE
    passphrase_file = settings.DATA_DIR / PASSPHRASE_FILE
    for path in (key_file, passphrase_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "DEMO ONLY" in output
    assert f"--key {key_file}" in output
    for slug in (LETTER["slug"], PETITION["slug"]):
        out = tmp_path / f"{slug}.csv"
        call_command(
            "export",
            slug,
            key=str(key_file),
            passphrase_file=str(passphrase_file),
            out=str(out),
            with_email=True,
            stderr=StringIO(),
        )
        with out.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        petition = Petition.objects.get(slug=slug)
        assert len(rows) == petition.signatures.counted().count() > 0
        assert all(row["email"].endswith("@example.org") for row in rows)


def test_its_sealed_boxes_hold_what_the_rows_say(demo, settings):
    demo()
    key_id, private_key = load_private_file(
        (settings.DATA_DIR / KEY_FILE).read_bytes(),
        (settings.DATA_DIR / PASSPHRASE_FILE).read_text().strip(),
    )
    for signature in Signature.objects.all():
        assert signature.key_id == key_id
        payload = open_box(private_key, bytes(signature.sealed), signature.petition.context())
        assert payload["country"] == signature.country
        assert payload["kind"] == signature.kind
        if signature.listed:
            assert payload["name"] == signature.public_name


def test_it_uses_a_key_that_is_already_active(demo, keypair, settings):
    output = demo()
    assert PublicKey.objects.count() == 1
    assert not (settings.DATA_DIR / KEY_FILE).exists()
    assert "only its holder can export it" in output
    assert set(Signature.objects.values_list("key_id", flat=True)) == {keypair.key_id}


# --- The campaigns --------------------------------------------------------------------


def test_it_lists_the_letters_cosigning_organisations(demo):
    output = demo()
    letter = Petition.objects.get(slug=LETTER["slug"])
    organisations_ = letter.signatures.counted().filter(
        kind=Signature.Kind.ORGANISATION, review=Signature.Review.APPROVED, listed=True
    )
    seated = [c for c in LETTER["cosigners"] if c["country"]]
    assert organisations_.count() == len(seated) >= 50
    assert all(signature.is_public for signature in organisations_)
    assert letter.kind == Petition.Kind.LETTER
    assert letter.status == Petition.Status.CLOSED
    assert letter.recipients == "Members of the European Parliament"
    unknown = [c["name"] for c in LETTER["cosigners"] if not c["country"]]
    assert unknown
    assert "Left off the letter (seat unknown" in output
    assert all(name in output for name in unknown)


def test_the_letter_shows_its_cosigners_and_experts(demo, client):
    demo()
    page = client.get(f"/en/p/{LETTER['slug']}/signatories/").content.decode()
    assert escape("European Digital Rights (EDRi)") in page
    assert "https://edri.org/" in page
    experts = Signature.objects.filter(
        petition__slug=LETTER["slug"], kind=Signature.Kind.INDIVIDUAL
    )
    assert experts.count() == len(LETTER["experts"])
    for expert in experts:
        assert expert.is_public
        assert escape(expert.public_name) in page


def test_the_coalition_cosigns_the_petition(demo):
    demo()
    petition = Petition.objects.get(slug=PETITION["slug"])
    names = set(
        petition.signatures.filter(
            kind=Signature.Kind.ORGANISATION, review=Signature.Review.APPROVED, listed=True
        ).values_list("public_name", flat=True)
    )
    assert names == {org.name for org in organisations() if org.country}


def test_the_petition_counts_signatures_in_every_member_state(demo):
    demo()
    petition = Petition.objects.get(slug=PETITION["slug"])
    counted = {
        str(row.country) for row in CountryCount.objects.filter(petition=petition, count__gt=0)
    }
    states = {state.iso for state in member_states()}
    assert len(states) == 27
    assert states <= counted
    assert petition.status == Petition.Status.OPEN and petition.is_accepting()
    assert petition.goal == PETITION["goal"]
    assert petition.milestones == PETITION["milestones"]
    people = petition.signatures.filter(kind=Signature.Kind.INDIVIDUAL)
    assert people.filter(confirmed_at__isnull=True).count() == 3
    assert people.filter(listed=True).exists()
    assert people.filter(listed=False).exists()


def test_both_campaigns_show_their_counts_per_country_through_http(demo, client, settings):
    output = demo()
    for slug in (LETTER["slug"], PETITION["slug"]):
        petition = Petition.objects.get(slug=slug)
        assert f"{settings.BASE_URL}/en/p/{slug}/" in output
        response = client.get(f"/en/p/{slug}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Confirmed signatures by country" in page
        total = petition.signatures.counted().count()
        assert f"<strong>{total:,}</strong>" in page
        for row in CountryCount.objects.filter(petition=petition, count__gt=0):
            assert f'<th scope="row">{escape(row.country.name)}</th>' in page


def test_its_signatures_carry_the_hashes_of_a_real_one(
    demo, client, django_capture_on_commit_callbacks
):
    demo()
    petition = Petition.objects.get(slug=PETITION["slug"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/p/{petition.slug}/",
            {
                "as": "individual",
                "name": "Jane Doe",
                "email": "jane@example.org",
                "country": "DE",
                "comment": "",
            },
            REMOTE_ADDR="203.0.113.77",
        )
    assert response.status_code == 302
    real = petition.signatures.get(email_hash=email_hash("jane@example.org"))
    for signature in Signature.objects.exclude(pk=real.pk):
        # Every demo address is at example.org, as the real one is.
        assert signature.email_domain_hash == real.email_domain_hash != ""
        assert len(signature.email_hash) == len(real.email_hash) == 64
        assert signature.key_id == real.key_id
        assert signature.language in ("en", "de", "fr")


def test_signers_use_the_language_of_their_country(demo):
    demo()
    language = {state.iso: state.site_language for state in member_states()}
    people = Signature.objects.filter(
        petition__slug=PETITION["slug"], kind=Signature.Kind.INDIVIDUAL
    )
    assert all(row.language == language[str(row.country)] for row in people)
    assert {"de", "fr", "en"} <= set(people.values_list("language", flat=True))


def test_it_stores_no_plaintext_email(demo):
    demo()
    for signature in Signature.objects.all():
        assert b"@example.org" not in bytes(signature.sealed)
        assert "@" not in signature.public_name
        assert "@" not in signature.public_website
        assert "@" not in (signature.email_hash or "")
        assert len(signature.email_hash) == 64


# --- Deletion dates --------------------------------------------------------------------


def test_the_purge_finds_nothing_of_the_demo_due(demo):
    demo()
    letter = Petition.objects.get(slug=LETTER["slug"])
    assert letter.retention_days == LETTER["retention_days"]
    assert letter not in petitions_due()
    assert not expired_unconfirmed().exists()
    before = _snapshot()
    call_command("purge", stdout=StringIO())
    assert _snapshot() == before
    assert not Signature.objects.filter(personal_data_deleted_at__isnull=False).exists()


def test_the_petition_page_tells_its_deletion_date(demo, client):
    demo()
    petition = Petition.objects.get(slug=PETITION["slug"])
    page = client.get(f"/en/p/{petition.slug}/").content.decode()
    date = date_format(localtime(petition.deletion_date), "DATE_FORMAT")
    assert f"All personal data given here is deleted on {date}." in page


# --- The command and the front page -----------------------------------------------------


def test_it_refuses_a_production_configuration(demo, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        demo()
    assert not Petition.objects.exists()


def test_it_runs_in_production_when_told_to(demo, settings):
    settings.PRODUCTION = True
    demo(allow_production=True)
    assert Petition.objects.count() == 2


def test_it_refuses_fewer_signatures_than_member_states(demo):
    with pytest.raises(CommandError):
        demo(signatures=26)
    assert not Petition.objects.exists()


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_the_front_page_speaks_each_language(demo, client, language):
    demo()
    words = FRONT_PAGE["pages"][language]
    page = client.get(f"/{language}/").content.decode()
    assert escape(words["title"]) in page
    assert escape(words["lead"]) in page
    assert escape(words["action_label"]) in page
    assert f'href="/{language}{words["action_url"]}"' in page
