"""Writes of an initiative's own record: its registered data, its status and its dates.

The sponsor list's date is written with the sponsors (``services.sponsors``). An initiative
is never deleted: that would delete its paper batches' custody record with it; its only
personal data, the organisers' representative's name and email address, is blanked
instead (``erase_representative``).

Every write checks the dates the law sets (``check_initiative``): the admin's form shows
the same errors on its fields, and nothing is saved while one remains.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reclaim.audit.services import record
from reclaim.eci import rules
from reclaim.eci.deadlines import add_months, number
from reclaim.eci.models import Initiative

# Annex II of Regulation (EU) 2019/788: the title and objectives as registered.
MAX_TITLE = 300
MAX_OBJECTIVES = 1100
LANGUAGE_CODE = re.compile(r"[a-z]{2}")


def _months(count: int) -> str:
    return ngettext("%(count)d month", "%(count)d months", count) % {"count": count}


def _day(day: date) -> str:
    return str(formats.date_format(day, "DATE_FORMAT"))


def _period_errors(initiative: Initiative) -> dict[str, list[str]]:
    """What is wrong with the collection period (Article 8(1) of Regulation (EU) 2019/788)."""
    errors: dict[str, list[str]] = {}
    start = initiative.collection_start
    end = initiative.collection_end
    first_end = initiative.collection_end_before_extension
    basis = initiative.extended_under.strip()
    registered = initiative.registered_on

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if start is not None and registered is not None:
        start_months = number("start_collection_within_months_of_registration")
        latest = add_months(registered, start_months)
        if start < registered:
            add("collection_start", _("Collection cannot start before the registration."))
        elif start > latest:
            add(
                "collection_start",
                _(
                    "Collection must start within %(period)s of registration (Article 8(1) of "
                    "Regulation (EU) 2019/788), by %(date)s at the latest."
                )
                % {"period": _months(start_months), "date": _day(latest)},
            )
    if (end is not None or first_end is not None) and start is None:
        add("collection_start", _("Give the start of collection with its end."))

    instruments = [str(i) for i in rules.load().general["collection_extension_instruments"]]
    if basis and basis not in instruments:
        add(
            "extended_under",
            _("Not a legal basis for extending a collection. Accepted: %(instruments)s.")
            % {"instruments": "; ".join(instruments)},
        )
    if basis and first_end is None:
        add(
            "collection_end_before_extension",
            _("An extended collection needs its end as first set."),
        )
    if first_end is not None and not basis:
        add("extended_under", _("Give the legal basis of the extension."))
    if first_end is not None and end is not None and end <= first_end:
        add(
            "collection_end",
            _("The end in force must come after the end before the extension."),
        )

    if start is None:
        return errors
    for field, day in (("collection_end", end), ("collection_end_before_extension", first_end)):
        if day is not None and day <= start:
            add(field, _("Collection must end after it starts."))
    period_months = number("collection_period_max_months")
    longest = add_months(start, period_months)
    # Without an extension the end in force is the end as first set.
    set_end, set_field = (
        (first_end, "collection_end_before_extension") if basis else (end, "collection_end")
    )
    if set_end is not None and set_end > longest:
        add(
            set_field,
            _(
                "A collection lasts at most %(period)s (Article 8(1) of Regulation (EU) "
                "2019/788): from this start it ends on %(date)s at the latest. If it was "
                "extended under the COVID-19 rules, give the legal basis and the end before "
                "the extension."
            )
            % {"period": _months(period_months), "date": _day(longest)},
        )
    return errors


def _translation_errors(initiative: Initiative) -> dict[str, list[str]]:
    bad = _(
        "Give each language as its code with the title and objectives as registered, e.g. "
        '{"de": {"title": "…", "objectives": "…"}}; a title has at most %(title)d '
        "characters, objectives at most %(objectives)d."
    ) % {"title": MAX_TITLE, "objectives": MAX_OBJECTIVES}
    versions = initiative.translations
    if not isinstance(versions, dict):
        return {"translations": [bad]}
    for language, version in versions.items():
        if not (
            isinstance(language, str)
            and LANGUAGE_CODE.fullmatch(language)
            and isinstance(version, dict)
            and set(version) <= {"title", "objectives"}
            and isinstance(version.get("title"), str)
            and 0 < len(version["title"].strip()) <= MAX_TITLE
            and isinstance(version.get("objectives", ""), str)
            and len(version.get("objectives", "")) <= MAX_OBJECTIVES
        ):
            return {"translations": [bad]}
    if not LANGUAGE_CODE.fullmatch(initiative.registered_language or ""):
        return {"registered_language": [_("Give a two-letter language code, e.g. en.")]}
    return {}


def check_initiative(initiative: Initiative) -> None:
    """Raise a ``ValidationError`` naming each field whose value the law does not allow."""
    errors = _period_errors(initiative) | _translation_errors(initiative)
    if errors:
        raise ValidationError(errors)


def create_initiative(**fields: Any) -> Initiative:
    """Record a registered initiative; its fields are checked as the admin's form checks
    them (a ``ValidationError`` names the bad ones)."""
    initiative = Initiative(**fields)
    initiative.full_clean()
    check_initiative(initiative)
    with transaction.atomic():
        initiative.save(force_insert=True)
    return initiative


def save_initiative(initiative: Initiative) -> Initiative:
    """Save an initiative as edited in the admin, whose form has run the same checks
    (``forms.initiatives``); a ``ValidationError`` here means nothing was saved."""
    check_initiative(initiative)
    with transaction.atomic():
        initiative.save()
    return initiative


def erase_representative(ids: list[int], actor: Any) -> int:
    """Blank the organisers' representative's name and email address of the initiatives
    ``ids``, for a data-subject request or once they are due (``reclaim.eci.retention``).

    Each initiative blanked gets an audit entry, without the name or the address. Returns
    how many initiatives had details to blank; blank ones are left alone, so a second call
    changes nothing and writes nothing.
    """
    with transaction.atomic():
        holding = list(
            Initiative.objects.select_for_update()
            .filter(pk__in=ids)
            .filter(~Q(representative_name="") | ~Q(representative_email=""))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Initiative.objects.filter(pk__in=holding).update(
            representative_name="", representative_email=""
        )
        for pk in holding:
            record(actor, "eci.representative.erase", target=f"initiative:{pk}", count=1)
    return len(holding)
