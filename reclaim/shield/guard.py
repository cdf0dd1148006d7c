"""The signing form's abuse control, in the two calls a view makes.

``challenge_for_visitor`` decides whether the form carries a proof-of-work challenge;
``guard_signing`` counts an attempt and says whether it may be stored. The visitor's
address goes into ``source_key`` and nowhere else.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reclaim.shield import pow as proof_of_work
from reclaim.shield import throttle
from reclaim.shield.network import domain_hash, source_key
from reclaim.shield.throttle import Verdict

if TYPE_CHECKING:
    from reclaim.letters.models import Petition

# The name of the form field that carries a solved challenge (written by shield/pow.js).
POW_FIELD = "altcha"

_NETWORK = _("Too many signatures from your network right now.")
REFUSALS = {
    "source_burst": _NETWORK,
    "source_sustained": _NETWORK,
    "domain_burst": _("Too many signatures with addresses at your email provider right now."),
    "country_burst": _("Too many signatures from your country right now."),
}


def challenge_for_visitor(request: HttpRequest, petition: Petition) -> dict[str, Any] | None:
    """A challenge for the signing form when the site or the visitor's network is busy."""
    return proof_of_work.challenge_for(throttle.load_level(petition.pk, source_key(request)))


def guard_signing(request: HttpRequest, petition: Petition, email: str, country: str) -> Verdict:
    """Count this signing attempt against the limits; a valid solved challenge raises them.

    Call it once the form is valid and before anything is stored: a refused attempt must
    leave no trace but the counters.
    """
    solved = proof_of_work.verify(request.POST.get(POW_FIELD, ""))
    domain = email.rpartition("@")[2].strip().lower()
    return throttle.check_signing(
        petition.pk, source_key(request), domain_hash(domain), country, solved=solved
    )


def refusal(verdict: Verdict) -> dict[str, Any]:
    """What the refused visitor is told: why, and in how many minutes to try again."""
    return {
        "message": REFUSALS.get(verdict.limit, _NETWORK),
        "minutes": max(1, math.ceil(verdict.retry_after / 60)),
    }
