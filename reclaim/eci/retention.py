"""Deletion of what is due: the retention rule of the ECI companion.

Its only personal data is the organisers' representative's name and email address,
printed on the paper forms for statements of support. Once the last day to destroy those
statements has passed (``deadlines.statements_destruction_date``, which follows a
submission or a withdrawal), no paper form is needed any more, and the details go.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Policy
from reclaim.eci.deadlines import statements_destruction_date
from reclaim.eci.models import Initiative
from reclaim.eci.services.initiatives import erase_representative


def representatives_due(today: date | None = None) -> list[Initiative]:
    """Initiatives still holding representative details past their destruction date."""
    today = today or timezone.localdate()
    holding = Initiative.objects.filter(
        ~Q(representative_name="") | ~Q(representative_email="")
    ).order_by("pk")
    return [i for i in holding if statements_destruction_date(i) < today]


def erase_due_representatives(actor: str = "purge") -> int:
    return erase_representative([i.pk for i in representatives_due()], actor)


POLICIES = [
    Policy(
        "eci_representatives_erased",
        _(
            "Initiatives past the last day to destroy their paper statements of support,"
            " whose organisers' representative's name and email address are blanked"
        ),
        count_due=lambda: len(representatives_due()),
        run=erase_due_representatives,
    ),
]
