"""Sign-in lockout: counted per keyed hash of the username, never per address."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from reclaim.accounts import lockout
from reclaim.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/en/admin/login/"
ADDRESS = "203.0.113.77"
LOCKED = "Too many failed attempts. Try again in 15 minutes."


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Every attempt hashes a password; a cheap hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def attempt(username: str, password: str, address: str = ADDRESS):
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": username, "password": password, "next": "/en/admin/"}
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/en/admin/"


def lock_alice() -> None:
    for n in range(5):
        response = attempt("alice", f"wrong-{n}")
        assert response.status_code == 200


def test_five_wrong_passwords_lock_the_account(organiser):
    lock_alice()
    response = attempt("alice", "pw-alice")
    assert not signed_in(response)
    assert LOCKED in response.content.decode()
    # The case of the username makes no difference, nor does another address.
    assert LOCKED in attempt("ALICE", "pw-alice", address="198.51.100.5").content.decode()


def test_four_wrong_passwords_do_not(organiser):
    for n in range(4):
        attempt("alice", f"wrong-{n}")
    assert signed_in(attempt("alice", "pw-alice"))


def test_the_fifth_failure_already_says_why(organiser):
    for n in range(4):
        assert LOCKED not in attempt("alice", f"wrong-{n}").content.decode()
    assert LOCKED in attempt("alice", "wrong-4").content.decode()


def test_a_success_clears_the_count(organiser):
    for n in range(4):
        attempt("alice", f"wrong-{n}")
    assert signed_in(attempt("alice", "pw-alice"))
    for n in range(4):
        attempt("alice", f"wrong-{n}")
    assert signed_in(attempt("alice", "pw-alice"))


def test_another_username_is_unaffected(organiser, moderator):
    lock_alice()
    assert signed_in(attempt("bob", "pw-bob"))


def test_an_unknown_username_locks_the_same_way(db):
    # Whether an account exists is not told apart by the lockout.
    for n in range(5):
        attempt("mallory", f"wrong-{n}")
    assert LOCKED in attempt("mallory", "anything").content.decode()


def test_the_lock_expires(organiser, monkeypatch):
    lock_alice()
    assert not signed_in(attempt("alice", "pw-alice"))
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert signed_in(attempt("alice", "pw-alice"))


def test_failures_spread_over_more_than_the_window_do_not_lock(organiser, monkeypatch):
    for n in range(4):
        attempt("alice", f"wrong-{n}")
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    attempt("alice", "wrong-4")
    assert signed_in(attempt("alice", "pw-alice"))


def test_the_limit_is_a_setting(organiser, settings):
    settings.RECLAIM = {**settings.RECLAIM, "LOGIN_FAILURES": 2}
    attempt("alice", "wrong-0")
    attempt("alice", "wrong-1")
    assert not signed_in(attempt("alice", "pw-alice"))


def test_a_locked_attempt_is_audited_once_per_lock_without_an_address(organiser):
    lock_alice()
    for _ in range(3):
        attempt("alice", "pw-alice")
    entries = list(AuditEntry.objects.filter(action="account.locked"))
    assert len(entries) == 1
    digest = lockout.username_hash("alice")
    assert entries[0].target == f"username:{digest[:12]}"
    assert entries[0].actor == "anonymous"
    assert "alice" not in str(entries[0].detail)


def test_no_address_or_username_is_kept_anywhere(organiser):
    lock_alice()
    attempt("alice", "pw-alice")
    keys = [str(key) for key in cache._cache]  # the test cache is local memory
    assert any("lockout:" in key for key in keys)
    for key in keys:
        assert ADDRESS not in key
        assert "alice" not in key.lower()
    for value in (cache.get(key.split(":", 2)[-1]) for key in keys):
        assert ADDRESS not in str(value)
    for entry in AuditEntry.objects.all():
        assert ADDRESS not in f"{entry.actor} {entry.target} {entry.detail}"
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert ADDRESS not in dump.getvalue()


# What a gunicorn worker does on a wrong password: Django's authenticate() sends this.
TWO_WRONG_PASSWORDS = """
from django.contrib.auth.signals import user_login_failed
for _ in range(2):
    user_login_failed.send(sender="worker", credentials={"username": "alice"}, request=None)
"""
IS_ALICE_LOCKED = """
from reclaim.accounts import lockout
result = lockout.is_locked("alice")
"""


def test_failures_seen_by_separate_worker_processes_add_up_to_one_lock(organiser, worker_processes):
    """Without Redis the count is still one for the whole machine, not one per worker."""
    # Two workers each see two wrong passwords at once: four in all, one short of the limit.
    worker_processes(TWO_WRONG_PASSWORDS)
    assert not lockout.is_locked("alice")
    # The fifth, in a third process (this one), locks the username for all of them.
    assert LOCKED in attempt("alice", "wrong-4").content.decode()
    assert not signed_in(attempt("alice", "pw-alice"))
    assert worker_processes(IS_ALICE_LOCKED) == [True, True]
