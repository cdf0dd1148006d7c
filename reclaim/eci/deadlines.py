"""The dates that follow from an initiative's registration and its collection period.

Every period comes from ``data/rules.json`` (Regulation (EU) 2019/788): nothing here is a
literal. Months are calendar months clamped to the end of a shorter month, so 31 January
plus one month is 28 (or 29) February, the way the Commission's register counts them.

Working days are Monday to Friday except the Commission's public holidays, which come from
``data/holidays/<year>.json`` (one file per year, with the Commission decision it copies).
A year without a file is not refused: its working days fall back to Monday to Friday, a
warning is logged, and the notice deadline is marked as an estimate and says so, because a
date that may be a few days late is still more use than none (see ``missing_holiday_years``).

A collection extended under the COVID-19 rules (Regulation (EU) 2020/1042) carries its
extension: every date after the end of collection follows the extended end, and the outer
bound for destroying paper statements (21 months after the start) moves by the same length,
so that it never falls before the verification and submission it exists to follow.
"""

from __future__ import annotations

import calendar
import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reclaim.eci import rules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from reclaim.eci.models import Initiative

logger = logging.getLogger(__name__)

HOLIDAYS_DIR = Path(__file__).with_name("data") / "holidays"


def number(key: str) -> int:
    """A whole number from the "rules" object of rules.json (months, days, euros)."""
    return int(rules.load().general[key])


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (negative goes back), clamped to month end."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


@cache
def holidays(year: int) -> frozenset[date] | None:
    """The Commission's public holidays in ``year``, or None when there is no file for it."""
    path = HOLIDAYS_DIR / f"{year}.json"
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    days = frozenset(date.fromisoformat(item["date"]) for item in raw["dates"])
    if any(day.year != year for day in days) or int(raw["year"]) != year:
        raise ValueError(f"{path.name} lists a day of another year.")
    return days


def missing_holiday_years(first: date, last: date) -> list[int]:
    """The years from ``first`` to ``last`` whose holidays we do not know."""
    return [year for year in range(first.year, last.year + 1) if holidays(year) is None]


def is_working_day(day: date) -> bool:
    """Monday to Friday, except the Commission's public holidays.

    In a year without a holiday file only weekends are skipped (see the module's docstring).
    """
    if day.weekday() >= 5:
        return False
    known = holidays(day.year)
    return known is None or day not in known


def working_days_before(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day`` (weekends and holidays skipped)."""
    result = day
    remaining = count
    while remaining > 0:
        result -= timedelta(days=1)
        if is_working_day(result):
            remaining -= 1
    return result


def _months(count: int) -> str:
    return ngettext("%(count)d month", "%(count)d months", count) % {"count": count}


def _working_days(count: int) -> str:
    return ngettext("%(count)d working day", "%(count)d working days", count) % {"count": count}


def _date(day: date) -> str:
    return str(formats.date_format(day, "DATE_FORMAT"))


# Translated when shown, in the language of the page or the feed being rendered.
_months_lazy = lazy(_months, str)
_working_days_lazy = lazy(_working_days, str)
_date_lazy = lazy(_date, str)


@dataclass(frozen=True)
class Deadline:
    key: str
    label: StrOrPromise
    date: date
    # True when the date depends on something not decided or not happened yet (the start
    # of collection, the end of verification): it can still move, usually earlier.
    is_estimate: bool
    explanation: StrOrPromise


def extension(initiative: Initiative, start: date | None = None) -> timedelta:
    """How far the end in force lies beyond the longest collection period (zero if not).

    Only an extension (``extended_under``) may take it there; an older record with such an
    end but no legal basis recorded is counted the same way, so its dates still follow one
    another. The bound moves by the excess over 12 months rather than by the whole
    extension: a period first set shorter than 12 months had room to spare.
    """
    start = start or initiative.collection_start
    end = initiative.collection_end
    if start is None or end is None:
        return timedelta(0)
    longest = add_months(start, number("collection_period_max_months"))
    return max(timedelta(0), end - longest)


def _destruction(
    start: date | None,
    submitted: date | None,
    withdrawn: date | None,
    extended_by: timedelta = timedelta(0),
) -> date | None:
    """When paper statements of support must be destroyed at the latest.

    The earlier of one month after submission to the Commission and 21 months after
    collection started; after a withdrawal, one month after it. The 21-month bound still
    applies after a withdrawal: it is the outer limit whatever happens. The 21 months are
    the longest collection (12) plus the three 3-month steps after it, so an extended
    collection moves the bound by its extension (``extended_by``): otherwise statements
    would be due for destruction before they could be verified and submitted.
    """
    after_start = (
        add_months(start, number("destroy_statements_months_after_start")) + extended_by
        if start
        else None
    )
    candidates: list[date] = []
    if withdrawn is not None:
        candidates.append(
            add_months(withdrawn, number("destroy_statements_months_after_withdrawal"))
        )
    elif submitted is not None:
        candidates.append(
            add_months(submitted, number("destroy_statements_months_after_submission"))
        )
    if after_start is not None:
        candidates.append(after_start)
    return min(candidates) if candidates else None


def batch_destruction_deadline(initiative: Initiative) -> date | None:
    """The last day to destroy an initiative's paper batches, or None when not knowable yet.

    Before submission to the Commission this is 21 months after the collection started:
    submission (or withdrawal) can only bring it earlier.
    """
    return _destruction(
        initiative.collection_start,
        initiative.submitted_to_commission_on,
        initiative.withdrawn_on,
        extension(initiative),
    )


def latest_collection_start(initiative: Initiative) -> date:
    """The last day collection may start (Article 8(1) of Regulation (EU) 2019/788)."""
    return add_months(
        initiative.registered_on, number("start_collection_within_months_of_registration")
    )


def statements_destruction_date(initiative: Initiative) -> date:
    """The last day to destroy the statements of support, as the calendar shows it.

    Unlike ``batch_destruction_deadline``, a collection whose start is not recorded is
    counted from the latest start the law allows: an actual start can only be earlier, so
    the date is never before the real one. The representative's name and email address,
    printed on the paper forms, are kept until then (``reclaim.eci.retention``).
    """
    start = initiative.collection_start or latest_collection_start(initiative)
    destruction = _destruction(
        start,
        initiative.submitted_to_commission_on,
        initiative.withdrawn_on,
        extension(initiative, start),
    )
    assert destruction is not None  # start is always known here, chosen or latest
    return destruction


def deadlines(initiative: Initiative) -> list[Deadline]:
    """Every date of the initiative's procedure, earliest first.

    Without a chosen collection start, the dates after it are counted from the latest
    possible start and marked as estimates. After a withdrawal only the dates up to it
    remain, followed by the withdrawal and the destruction of paper statements.
    """
    registered = initiative.registered_on
    start_months = number("start_collection_within_months_of_registration")
    latest_start = add_months(registered, start_months)
    chosen_start = initiative.collection_start
    start = chosen_start or latest_start
    start_is_estimate = chosen_start is None

    items = [
        Deadline(
            "registration",
            _("Registration"),
            registered,
            False,
            _("The day the Commission registered the initiative."),
        ),
        Deadline(
            "latest_start",
            _("Latest start of collection"),
            latest_start,
            False,
            format_lazy(
                _("Collection must start within {period} of registration."),
                period=_months_lazy(start_months),
            ),
        ),
    ]
    if chosen_start is not None:
        items.append(
            Deadline(
                "collection_start",
                _("Start of collection"),
                chosen_start,
                False,
                _("The start date the organisers chose."),
            )
        )

    notice_days = number("notify_commission_working_days_before_start")
    notice = working_days_before(start, notice_days)
    unknown_years = missing_holiday_years(notice, start)
    if unknown_years:
        logger.warning(
            "No Commission public holidays for %s: the notice date of %s skips weekends only.",
            ", ".join(map(str, unknown_years)),
            initiative.registration_number,
        )
        notice_explanation: StrOrPromise = format_lazy(
            _(
                "At least {period} before collection starts. The Commission's public "
                "holidays for {years} are not in our data, so only weekends are skipped: "
                "send it earlier."
            ),
            period=_working_days_lazy(notice_days),
            years=", ".join(map(str, unknown_years)),
        )
    else:
        notice_explanation = format_lazy(
            _(
                "At least {period} before collection starts, not counting weekends and the "
                "Commission's public holidays."
            ),
            period=_working_days_lazy(notice_days),
        )
    items.append(
        Deadline(
            "notice",
            _("Tell the Commission the start date"),
            notice,
            start_is_estimate or bool(unknown_years),
            notice_explanation,
        )
    )

    extended_by = extension(initiative, start)
    if initiative.collection_end is not None:
        end = initiative.collection_end
        end_is_estimate = False
        first_end = initiative.collection_end_before_extension
        if initiative.extended_under and first_end is not None:
            end_explanation: StrOrPromise = format_lazy(
                _("Extended under {basis}; before the extension collection ended on {date}."),
                basis=initiative.extended_under,
                date=_date_lazy(first_end),
            )
        else:
            end_explanation = _("As shown in the Commission's register.")
    else:
        period_months = number("collection_period_max_months")
        end = add_months(start, period_months)
        end_is_estimate = start_is_estimate
        end_explanation = format_lazy(
            _("Collection lasts at most {period} from its start."),
            period=_months_lazy(period_months),
        )
    items.append(
        Deadline("collection_end", _("End of collection"), end, end_is_estimate, end_explanation)
    )

    verification_submit_months = number("submit_for_verification_within_months_after_collection")
    submit_for_verification = add_months(end, verification_submit_months)
    items.append(
        Deadline(
            "submit_for_verification",
            _("Submit statements for verification"),
            submit_for_verification,
            end_is_estimate,
            format_lazy(
                _(
                    "Statements of support go to the national authorities within {period} "
                    "after the end of collection."
                ),
                period=_months_lazy(verification_submit_months),
            ),
        )
    )

    verification_months = number("verification_months")
    verification_base = initiative.submitted_for_verification_on or submit_for_verification
    verification_done = add_months(verification_base, verification_months)
    items.append(
        Deadline(
            "verification_done",
            _("Verification done"),
            verification_done,
            # Each authority has its own clock from the day it received its statements.
            True,
            format_lazy(
                _(
                    "The national authorities have {period} to verify the statements and "
                    "issue their certificates."
                ),
                period=_months_lazy(verification_months),
            ),
        )
    )

    submitted = initiative.submitted_to_commission_on
    commission_months = number("submit_to_commission_within_months_after_last_certificate")
    if submitted is not None:
        items.append(
            Deadline(
                "submit_to_commission",
                _("Submission to the Commission"),
                submitted,
                False,
                _("The day the initiative was submitted to the Commission."),
            )
        )
    else:
        items.append(
            Deadline(
                "submit_to_commission",
                _("Submission to the Commission"),
                add_months(verification_done, commission_months),
                True,
                format_lazy(
                    _(
                        "Within {period} after the last certificate; counted here from the "
                        "end of verification."
                    ),
                    period=_months_lazy(commission_months),
                ),
            )
        )

    withdrawn = initiative.withdrawn_on
    if withdrawn is not None:
        items = [item for item in items if item.date <= withdrawn]
        items.append(
            Deadline(
                "withdrawal",
                _("Withdrawal"),
                withdrawn,
                False,
                _("The organisers withdrew the initiative."),
            )
        )
    destruction = statements_destruction_date(initiative)
    if withdrawn is not None:
        destruction_explanation: StrOrPromise = format_lazy(
            _(
                "Paper statements of support are destroyed within {period} of the "
                "withdrawal, and no later than {outer} after collection started."
            ),
            period=_months_lazy(number("destroy_statements_months_after_withdrawal")),
            outer=_months_lazy(number("destroy_statements_months_after_start")),
        )
    else:
        destruction_explanation = format_lazy(
            _(
                "Paper statements of support are destroyed {after_submission} after submission "
                "to the Commission or {after_start} after collection started, whichever is "
                "earlier."
            ),
            after_submission=_months_lazy(number("destroy_statements_months_after_submission")),
            after_start=_months_lazy(number("destroy_statements_months_after_start")),
        )
    if extended_by:
        destruction_explanation = format_lazy(
            _("{rule} The {outer} move with the extension of the collection ({days} days)."),
            rule=destruction_explanation,
            outer=_months_lazy(number("destroy_statements_months_after_start")),
            days=extended_by.days,
        )
    items.append(
        Deadline(
            "destroy_statements",
            _("Destroy paper statements"),
            destruction,
            withdrawn is None and (submitted is None or start_is_estimate),
            destruction_explanation,
        )
    )
    # Stable sort: on the same day, the procedure's order is kept.
    return sorted(items, key=lambda item: item.date)
