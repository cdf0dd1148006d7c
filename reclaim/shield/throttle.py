"""Limits on any public form: fixed-window counters in the cache, keyed by hashes only.

A form is guarded under a *scope*, a string that names it (``letters.sign``,
``newsletter.subscribe``...), and optionally a *target* within the scope (a petition's id),
so that one petition's rush does not slow another's signers. The limits are data
(``RECLAIM["THROTTLES"]``, with overrides per scope in ``RECLAIM["THROTTLES_BY_SCOPE"]``).
Each is a number of attempts in a window of seconds, counted under a key that holds the
limit's name, the scope, the target, a hashed subject (source network, email domain) or a
country code, and the window's number: never an address. A fixed window is coarse (a
burst that straddles two windows may pass twice the limit), but it costs one cache round
trip per counter, works the same on the disk cache and on Redis, and needs no clean-up:
each counter expires with its window.

Without ``REDIS_URL`` the counters are in the default disk cache (reclaim.lib.diskcache),
one for all the processes of a machine, whatever the number of gunicorn workers. Run more
than one app server only with ``REDIS_URL`` set, or each of them applies the limits on its
own.
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


def _config(scope: str) -> dict[str, Any]:
    """The limits of a scope: the defaults, with what the scope overrides."""
    overrides = settings.RECLAIM.get("THROTTLES_BY_SCOPE", {}).get(scope, {})
    return {**settings.RECLAIM["THROTTLES"], **overrides}


def _window(config: dict[str, Any], name: str, now: float) -> tuple[int, int, int]:
    """(limit, window seconds, number of the current window) for the named limit."""
    limit, seconds = config[name]
    return int(limit), int(seconds), int(now // seconds)


def _key(name: str, subject: str, window: int) -> str:
    return f"shield:throttle:{name}:{subject}:{window}"


def _count(config: dict[str, Any], name: str, subject: str, now: float) -> int:
    """Count one attempt and return the window's total so far."""
    _, seconds, window = _window(config, name, now)
    key = _key(name, subject, window)
    # incr() and add() are each atomic on every backend. Most hits land in a window that
    # has begun (the site, a country, a busy network), so incr() comes first: one write
    # where add()-then-incr() took two (each a SQLite transaction on the disk cache, about
    # 0.2 ms of a signature). The first hit of a window finds no counter; add() then sets
    # it with its expiry, and if another process set it just before, incr() counts on it.
    for _attempt in range(2):
        try:
            return int(cache.incr(key))
        except ValueError:  # no counter in this window yet (or it just expired)
            if cache.add(key, 1, timeout=seconds):
                return 1
    return int(cache.incr(key))


def _retry_after(config: dict[str, Any], name: str, now: float) -> int:
    _, seconds, window = _window(config, name, now)
    return max(1, math.ceil((window + 1) * seconds - now))


def _subjects(
    scope: str, target: str, source: str, domain_hash: str, country: str
) -> dict[str, str]:
    """What each limit counts: a scope, ids, hashes and a country code, never an address.
    A form that asks no email address or country is not counted per domain or country."""
    subjects = {
        "source_burst": f"{scope}:{target}:{source}",
        "source_sustained": f"{scope}:{target}:{source}",
    }
    if domain_hash:
        subjects["domain_burst"] = f"{scope}:{target}:{domain_hash}"
    if country:
        subjects["country_burst"] = f"{scope}:{target}:{country}"
    return subjects


def _level(config: dict[str, Any], site_count: int, source_count: int, now: float) -> int:
    """How unusual the load is: 0 normal, then one level per doubling past the threshold.

    The site is under unusual load past ``site_load`` attempts; a source from half of its
    plain burst limit on, so that its visitors get a challenge (and with it the higher
    limit) before they reach that limit.
    """
    site_limit, _, _ = _window(config, "site_load", now)
    source_limit, _, _ = _window(config, "source_burst", now)
    ratio = max(site_count / max(site_limit, 1), source_count / max(source_limit / 2, 1))
    if ratio < 1:
        return 0
    return min(MAX_LOAD, 1 + int(math.log2(ratio)))


def load_level(scope: str, target: str, source: str) -> int:
    """The current load of a scope for a visitor from ``source``, without counting."""
    now = clock()
    config = _config(scope)
    site = _key("site_load", scope, _window(config, "site_load", now)[2])
    window = _window(config, "source_burst", now)[2]
    burst = _key("source_burst", f"{scope}:{target}:{source}", window)
    counts = cache.get_many([site, burst])
    return _level(config, int(counts.get(site, 0)), int(counts.get(burst, 0)), now)


def check(
    scope: str,
    target: str,
    source: str,
    domain_hash: str = "",
    country: str = "",
    solved: bool = False,
) -> Verdict:
    """Count one attempt in a scope and say whether it may go on.

    ``solved`` is true when the attempt carries a valid, unused proof-of-work solution: it
    is allowed ``solved_multiplier`` times every per-request limit. That is what the
    challenge buys a person behind a busy shared network, or signing in a genuine rush:
    their browser has spent a second of work on this one attempt, which a script sending
    thousands must spend thousands of times. The challenge is never required; without
    JavaScript a person meets the plain limits, and the emailed confirmation stays the gate.
    """
    now = clock()
    config = _config(scope)
    multiplier = int(config.get("solved_multiplier", 1)) if solved else 1
    subjects = _subjects(scope, target, source, domain_hash, country)
    site_count = _count(config, "site_load", scope, now)
    source_count = 0
    for name in SOURCE_LIMITS + SHARED_LIMITS:
        if name not in subjects:
            continue
        count = _count(config, name, subjects[name], now)
        if name == "source_burst":
            source_count = count
        limit, _, _ = _window(config, name, now)
        if count > limit * multiplier:
            return Verdict(
                allowed=False,
                limit=name,
                retry_after=_retry_after(config, name, now),
                load=_level(config, site_count, source_count, now),
            )
    return Verdict(allowed=True, load=_level(config, site_count, source_count, now))
