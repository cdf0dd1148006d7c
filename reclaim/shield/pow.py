"""Proof of work: a self-hosted ALTCHA challenge, asked only when the load is unusual.

The server makes a challenge (altcha's v1 scheme: find the number ``n`` for which
``SHA-256(salt + n)`` equals the challenge, knowing only that ``n`` is at most
``maxNumber``) and signs it with an HMAC, so it keeps no state until a solution comes
back. The browser solves it while the visitor types (``shield/pow.js``). A solution is
good once: its signature is remembered in the cache until the challenge expires. The
challenge names the scope of the form it was made for (``letters.sign``...), inside its
signed salt, so a solution buys nothing on another form.

Nothing here identifies anyone: the challenge carries a random salt and an expiry time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any, cast

import altcha
from altcha.v1 import SHA256, PayloadType
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# The numbers a browser may have to try, per load level (reclaim.shield.throttle.MAX_LOAD).
# It finds the answer after half of them on average. Headless Chromium hashes about
# 200,000 a second on a small server, a mid-range phone perhaps a tenth of that: level 1
# costs a phone about a second, level 4 about half a minute of typing. A visitor who
# submits before the browser is done is not held back; they just meet the plain limits.
DIFFICULTY = {1: 50_000, 2: 150_000, 3: 450_000, 4: 1_350_000}
LIFETIME = timedelta(minutes=10)
# A payload is a few hundred characters; anything much longer is not ours.
MAX_PAYLOAD = 1_000
ALGORITHM = SHA256


def _hmac_key() -> str:
    # Derived, so that the proof of work has a key of its own without another secret file.
    return hmac.new(settings.SECRET_KEY.encode(), b"altcha", hashlib.sha256).hexdigest()


def challenge_for(load: int, scope: str) -> dict[str, Any] | None:
    """A signed challenge for a form of ``scope`` at the given load level, or None when
    the load is normal."""
    if load <= 0:
        return None
    max_number = DIFFICULTY[min(load, max(DIFFICULTY))]
    challenge = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            algorithm=ALGORITHM,
            max_number=max_number,
            hmac_key=_hmac_key(),
            expires=timezone.now() + LIFETIME,
            params={"scope": scope},
        )
    )
    return challenge.to_dict()


def _parse(payload: str) -> PayloadType | None:
    """The payload as the dict altcha verifies, or None if it is not shaped like one."""
    if not payload or len(payload) > MAX_PAYLOAD:
        return None
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    strings = ("algorithm", "challenge", "salt", "signature")
    if not all(isinstance(data.get(field), str) for field in strings):
        return None
    number = data.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        return None
    if data["algorithm"] != ALGORITHM:
        return None
    return cast(PayloadType, data)


def _param(data: PayloadType, name: str) -> str | None:
    values = altcha.extract_params_v1(data).get(name) or []
    return values[0] if len(values) == 1 else None


def _expires(data: PayloadType) -> float | None:
    try:
        return float(_param(data, "expires") or "")
    except ValueError:
        return None


def verify(payload: str, scope: str) -> bool:
    """True for a correct, unexpired solution to one of our challenges for a form of
    ``scope``, the first time only."""
    data = _parse(payload)
    if data is None:
        return False
    expires = _expires(data)
    if expires is None:  # every challenge we make expires; one that does not is not ours
        return False
    if _param(data, "scope") != scope:  # made for another form (the salt is signed)
        return False
    ok, _error = altcha.verify_solution_v1(data, _hmac_key(), check_expires=True)
    if not ok:
        return False
    # Replay protection: the first to present a solution claims its signature, atomically,
    # for as long as the challenge could still pass. Only a verified solution gets that far,
    # so nobody can spend another visitor's challenge by sending a wrong answer to it.
    remaining = max(1, int(expires - time.time()) + 1)
    return bool(cache.add(f"shield:pow:used:{data['signature']}", 1, timeout=remaining))
