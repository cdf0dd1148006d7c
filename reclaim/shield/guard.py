"""Guard any public form, in the two calls its view makes.

A form is guarded under a scope string that names it (``letters.sign``, and later
``newsletter.subscribe``, ``news.comment``, ``atlas.report``) and optionally a target
within the scope (the petition's id), so that one petition's rush does not slow another's::

    context["challenge"] = challenge(request, "letters.sign", target=petition.pk)
    ...
    verdict = guard(request, "letters.sign", target=petition.pk, email=email, country=code)
    if not verdict.allowed: ...   # refuse, saying refusal(verdict)

``challenge`` decides whether the form carries a proof-of-work challenge; ``guard`` counts an
attempt and says whether it may be stored (call it once the form is valid and before
anything is stored: a refused attempt leaves no trace but the counters). The visitor's
address goes into ``source_key`` and nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reclaim.shield import pow as proof_of_work
from reclaim.shield import throttle
from reclaim.shield.network import domain_hash, source_key
from reclaim.shield.throttle import Verdict

# The name of the form field that carries a solved challenge (written by shield/pow.js).
POW_FIELD = "altcha"

_NETWORK = _("Too many attempts from your network right now.")
# What a refused visitor is told, by the limit that refused them. A form may pass words of
# its own to ``refusal`` ("Too many signatures..." on a petition).
REFUSALS: dict[str, str | Promise] = {
    "source_burst": _NETWORK,
    "source_sustained": _NETWORK,
    "domain_burst": _("Too many attempts with addresses at your email provider right now."),
    "country_burst": _("Too many attempts from your country right now."),
}


def challenge(request: HttpRequest, scope: str, target: object = "") -> dict[str, Any] | None:
    """A challenge for the form when its scope or the visitor's network is busy."""
    load = throttle.load_level(scope, str(target), source_key(request))
    return proof_of_work.challenge_for(load, scope)


def guard(
    request: HttpRequest,
    scope: str,
    *,
    target: object = "",
    email: str = "",
    country: str = "",
) -> Verdict:
    """Count this attempt against the scope's limits; a valid solved challenge for the
    scope raises them. ``email`` (its domain is counted, hashed) and ``country`` are for
    forms that ask them."""
    solved = proof_of_work.verify(request.POST.get(POW_FIELD, ""), scope)
    domain = email.rpartition("@")[2].strip().lower()
    return throttle.check(
        scope,
        str(target),
        source_key(request),
        domain_hash(domain) if domain else "",
        country,
        solved=solved,
    )


def refusal(
    verdict: Verdict, messages: Mapping[str, str | Promise] | None = None
) -> dict[str, Any]:
    """What the refused visitor is told: why, and in how many minutes to try again."""
    words = {**REFUSALS, **(messages or {})}
    return {
        "message": words.get(verdict.limit, _NETWORK),
        "minutes": max(1, math.ceil(verdict.retry_after / 60)),
    }
