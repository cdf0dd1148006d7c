"""Sign-in lockout, counted per username and never per address.

After ``RECLAIM["LOGIN_FAILURES"]`` wrong passwords for one username within
``RECLAIM["LOGIN_LOCK_MINUTES"]``, that username is locked for as long again. Counting by
username rather than by address keeps addresses out of the cache, and means a guesser
behind a carrier NAT locks out only the account they guess at, not everyone sharing the
network. The cost is that anyone can lock a known username for a while; staff sign in
rarely enough that a quarter of an hour is a fair price for stopping password guessing.

The cache keys hold an HMAC of the lower-cased username (keyed with SECRET_KEY), so the
cache names no one: without the key a hash cannot be turned back into a username.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from reclaim.audit.services import record

# How much of the hash the audit log shows: enough to tell locks apart, too little to test
# guesses against.
AUDIT_PREFIX = 12


def failures_allowed() -> int:
    return int(settings.RECLAIM["LOGIN_FAILURES"])


def lock_seconds() -> int:
    return int(settings.RECLAIM["LOGIN_LOCK_MINUTES"]) * 60


def username_hash(username: str) -> str:
    return salted_hmac("reclaim.accounts.lockout", username.strip().lower()).hexdigest()


def _keys(username: str) -> tuple[str, str, str]:
    digest = username_hash(username)
    return (f"lockout:fails:{digest}", f"lockout:locked:{digest}", f"lockout:told:{digest}")


def is_locked(username: str) -> bool:
    _fails, locked, _told = _keys(username)
    return cache.get(locked) is not None


def register_failure(username: str) -> bool:
    """Count a failed sign-in; lock the username when it reaches the limit.

    Attempts while locked are not counted, so the lock ends on time however often the
    username is tried. Returns whether the username is now locked.
    """
    fails, locked, told = _keys(username)
    if cache.get(locked) is not None:
        return True
    # add() starts the window with the first failure; incr() is atomic in every backend.
    cache.add(fails, 0, timeout=lock_seconds())
    try:
        count = cache.incr(fails)
    except ValueError:  # the window ran out between add() and incr()
        cache.set(fails, 1, timeout=lock_seconds())
        count = 1
    if count < failures_allowed():
        return False
    cache.set(locked, 1, timeout=lock_seconds())
    cache.delete_many([fails, told])
    return True


def refuse(username: str) -> None:
    """Note an attempt on a locked username: audited once per lock, without an address."""
    _fails, _locked, told = _keys(username)
    if cache.add(told, 1, timeout=lock_seconds()):
        record(
            "anonymous",
            "account.locked",
            target=f"username:{username_hash(username)[:AUDIT_PREFIX]}",
            count=failures_allowed(),
        )


def clear(username: str) -> None:
    """A successful sign-in forgets the failures before it."""
    fails, _locked, _told = _keys(username)
    cache.delete(fails)


def login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    """``user_login_failed`` receiver: count the failure against the username tried."""
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    if isinstance(username, str) and username:
        register_failure(username)
