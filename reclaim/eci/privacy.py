"""What the ECI companion holds about an email address, for data-subject requests.

reclaim keeps no signatory's data for an initiative (statements of support go through the
Commission's system, paper batches are counts only). The one address it stores is the
organisers' representative's, printed on the paper forms.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from reclaim.eci.deadlines import statements_destruction_date
from reclaim.eci.models import Initiative
from reclaim.eci.services.initiatives import erase_representative
from reclaim.lib.emailhash import email_hash
from reclaim.privacy.registry import Finder, Found, Text


def _representative_row(initiative: Initiative) -> dict[str, object]:
    return {
        "initiative": initiative.title,
        "registration_number": initiative.registration_number,
        "representative_name": initiative.representative_name or None,
        "representative_email": initiative.representative_email,
        "erased_after": statements_destruction_date(initiative).isoformat(),
    }


def _representative_shown(initiative: Initiative) -> list[tuple[Text, Any]]:
    return [
        (_("Citizens' initiative"), str(initiative)),
        (_("Name"), initiative.representative_name or _("not given")),
        (_("Email address"), initiative.representative_email),
        (_("Erased after"), statements_destruction_date(initiative)),
    ]


def representatives(digest: str) -> Found:
    # Initiatives are a handful, and the address is stored readable (it is printed on the
    # paper forms and published in the Commission's register): hashing each one here is
    # cheaper than keeping a hash column in step with it.
    found = [
        initiative
        for initiative in Initiative.objects.exclude(representative_email="").order_by("pk")
        if email_hash(initiative.representative_email) == digest
    ]
    ids = [initiative.pk for initiative in found]

    return Found(
        label=_("Organisers' representative of a citizens' initiative"),
        rows=[_representative_row(i) for i in found],
        erase=lambda: erase_representative(ids, "data subject"),
        note=_(
            "Your name and email address are printed on the initiative's paper forms for "
            "statements of support. The Commission's register publishes them too: erasing "
            "them here does not change the register."
        ),
        shown=[_representative_shown(i) for i in found],
    )


FINDERS = [Finder("eci_representative", representatives)]
