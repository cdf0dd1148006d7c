"""The open petition and the active key are kept a couple of seconds per process
(reclaim.lib.processcache). A change made here shows at once; one made in another
process (simulated by a bare UPDATE, which sends no signal) shows within the setting."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclaim.keyring.models import PublicKey
from reclaim.keyring.services import create_key, current_key, retire_key
from reclaim.letters.models import Petition, Signature
from reclaim.letters.tests.helpers import sign


@pytest.fixture
def short_cache(settings):
    settings.RECLAIM = {**settings.RECLAIM, "PROCESS_CACHE_SECONDS": 0.3}


def test_counter_requests_do_not_read_the_petition_again(client, petition):
    client.get("/api/petitions/ban/count.json")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/petitions/ban/count.json").status_code == 200
    assert not [q for q in queries if "letters_petition" in q["sql"]]


def test_a_petition_closed_in_this_process_refuses_signatures_at_once(
    client, petition, django_capture_on_commit_callbacks
):
    assert client.get("/en/p/ban/").status_code == 200  # now cached
    petition.status = Petition.Status.CLOSED
    petition.save()
    sign(client, petition, django_capture_on_commit_callbacks)
    assert not Signature.objects.exists()


def test_a_change_made_elsewhere_shows_within_the_setting(client, petition, short_cache):
    assert client.get("/en/p/ban/").status_code == 200
    Petition.objects.filter(pk=petition.pk).update(status=Petition.Status.DRAFT)
    assert client.get("/en/p/ban/").status_code == 200  # this process still has it
    time.sleep(0.35)
    assert client.get("/en/p/ban/").status_code == 404


def test_a_missing_petition_is_not_remembered(client, petition):
    assert client.get("/en/p/later/").status_code == 404
    Petition.objects.filter(pk=petition.pk).update(slug="later")
    assert client.get("/en/p/later/").status_code == 200


def test_the_newest_key_is_used_once_created_and_a_retired_one_never(keypair):
    first = current_key()
    second = create_key("Another holder", "another passphrase", actor="test")
    assert current_key().key_id == second.key_id
    retire_key(second.key_id)
    assert current_key().key_id == first.key_id


def test_a_key_retired_elsewhere_is_dropped_within_the_setting(keypair, short_cache):
    newer = create_key("Another holder", "another passphrase", actor="test")
    assert current_key().key_id == newer.key_id
    PublicKey.objects.filter(key_id=newer.key_id).update(retired_at="2026-01-01T00:00:00Z")
    time.sleep(0.35)
    assert current_key().key_id == keypair.key_id


def test_the_empty_form_kept_for_the_page_follows_language_and_kind(client, petition):
    """The empty signing form is rendered once per language and kind of signer and kept
    in the cache; each variant must still be its own."""
    petition.allows_organisations = True
    petition.save()
    english = client.get("/en/p/ban/").content.decode()
    german = client.get("/de/p/ban/").content.decode()
    organisation = client.get("/en/p/ban/?as=organisation").content.decode()
    again = client.get("/en/p/ban/").content.decode()
    assert 'for="id_email">Email address' in english
    assert 'for="id_email">E-Mail-Adresse' in german
    assert 'name="website"' in organisation and 'name="website"' not in english
    assert again.count('name="email"') == 1 and 'name="website"' not in again
    # A refused form is never the kept one: its errors and values are the visitor's.
    refused = client.post("/en/p/ban/", {"as": "individual", "email": "nope", "country": "DE"})
    assert refused.status_code == 400
    assert "Enter a valid email address" in refused.content.decode()
    assert 'value="nope"' in refused.content.decode()
    petition.asks_comment = False
    petition.save()
    assert 'name="comment"' not in client.get("/en/p/ban/").content.decode()
