"""`reclaim demo` loads a believable campaign, twice without harm, and leaks no address."""

from __future__ import annotations

import stat
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from reclaim.core.demo import KEY_FILE, PASSPHRASE_FILE
from reclaim.core.demo.content import EU_POPULATION, LETTER, PETITION
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
    }


def test_it_creates_nothing_twice(demo):
    demo()
    first = _snapshot()
    output = demo()
    assert _snapshot() == first
    assert first["users"] == 2
    assert first["keys"] == 1
    assert first["petitions"] == 2
    assert "0 signatures added now" in output


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
