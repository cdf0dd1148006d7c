"""Signing limits: fixed-window counters in the cache, keyed by hashes and ids only.

The limits are data (``RECLAIM["THROTTLES"]``). Each is a number of attempts in a window of
seconds, counted under a key that holds the limit's name, the petition id, a hashed subject
(source network, email domain) or a country code, and the window's number: never an
address. A fixed window is coarse (a burst that straddles two windows may pass twice the
limit), but it costs one cache round trip per counter, works the same on the local cache
and on Redis, and needs no clean-up: each counter expires with its window.

The counters are per process with the local cache. Run more than one app server only with
``REDIS_URL`` set, or each of them applies the limits on its own.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

# The per-request limits, narrowest first. An attempt is counted in a wider scope only once
# the narrower ones let it through, so one source hammering the form cannot use up its
# country's or its email provider's allowance for everyone else.
SOURCE_LIMITS = ("source_burst", "source_sustained")
SHARED_LIMITS = ("domain_burst", "country_burst")
# Load levels above this ask for no harder a challenge (reclaim.shield.pow.DIFFICULTY).
MAX_LOAD = 4


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # The limit that refused the attempt ("" when allowed) and the seconds until its window
    # ends, for the Retry-After header.
    limit: str = ""
    retry_after: int = 0
    # 0 under normal load; 1 to MAX_LOAD: how hard the next challenge should be.
    load: int = 0


def clock() -> float:
    """The time the windows are counted in; one function so tests can hold it still."""
    return time.time()


def _config() -> dict[str, Any]:
    return settings.RECLAIM["THROTTLES"]


def _window(name: str, now: float) -> tuple[int, int, int]:
    """(limit, window seconds, number of the current window) for the named limit."""
    limit, seconds = _config()[name]
    return int(limit), int(seconds), int(now // seconds)


def _key(name: str, scope: str, window: int) -> str:
    return f"shield:throttle:{name}:{scope}:{window}"


def _count(name: str, scope: str, now: float) -> int:
    """Count one attempt and return the window's total so far."""
    _, seconds, window = _window(name, now)
    key = _key(name, scope, window)
    # add() is atomic on every backend: the first hit of a window sets the counter and its
    # expiry; later hits increment it and leave the expiry alone.
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=seconds)
        return 1


def _retry_after(name: str, now: float) -> int:
    _, seconds, window = _window(name, now)
    return max(1, math.ceil((window + 1) * seconds - now))


def _scopes(petition_id: int, source: str, domain_hash: str, country: str) -> dict[str, str]:
    """What each limit counts: ids, hashes and a country code, never an address."""
    return {
        "source_burst": f"{petition_id}:{source}",
        "source_sustained": f"{petition_id}:{source}",
        "domain_burst": f"{petition_id}:{domain_hash}",
        "country_burst": f"{petition_id}:{country or '-'}",
        "site_load": "site",
    }


def _level(site_count: int, source_count: int, now: float) -> int:
    """How unusual the load is: 0 normal, then one level per doubling past the threshold.

    The site is under unusual load past ``site_load`` attempts; a source from half of its
    plain burst limit on, so that its visitors get a challenge (and with it the higher
    limit) before they reach that limit.
    """
    site_limit, _, _ = _window("site_load", now)
    source_limit, _, _ = _window("source_burst", now)
    ratio = max(site_count / max(site_limit, 1), source_count / max(source_limit / 2, 1))
    if ratio < 1:
        return 0
    return min(MAX_LOAD, 1 + int(math.log2(ratio)))


def load_level(petition_id: int, source: str) -> int:
    """The current load for a visitor from ``source``, without counting anything."""
    now = clock()
    site = _key("site_load", "site", _window("site_load", now)[2])
    burst = _key("source_burst", f"{petition_id}:{source}", _window("source_burst", now)[2])
    counts = cache.get_many([site, burst])
    return _level(int(counts.get(site, 0)), int(counts.get(burst, 0)), now)


def check_signing(
    petition_id: int, source: str, domain_hash: str, country: str, solved: bool = False
) -> Verdict:
    """Count one signing attempt and say whether it may go on.

    ``solved`` is true when the attempt carries a valid, unused proof-of-work solution: it
    is allowed ``solved_multiplier`` times every per-request limit. That is what the
    challenge buys a person behind a busy shared network, or signing in a genuine rush:
    their browser has spent a second of work on this one attempt, which a script sending
    thousands must spend thousands of times. The challenge is never required; without
    JavaScript a person meets the plain limits, and the emailed confirmation stays the gate.
    """
    now = clock()
    multiplier = int(_config().get("solved_multiplier", 1)) if solved else 1
    scopes = _scopes(petition_id, source, domain_hash, country)
    site_count = _count("site_load", scopes["site_load"], now)
    source_count = 0
    for name in SOURCE_LIMITS + SHARED_LIMITS:
        count = _count(name, scopes[name], now)
        if name == "source_burst":
            source_count = count
        limit, _, _ = _window(name, now)
        if count > limit * multiplier:
            return Verdict(
                allowed=False,
                limit=name,
                retry_after=_retry_after(name, now),
                load=_level(site_count, source_count, now),
            )
    return Verdict(allowed=True, load=_level(site_count, source_count, now))
