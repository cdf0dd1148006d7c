"""The dates that follow from an initiative's registration and its collection period.

Every period comes from ``data/rules.json`` (Regulation (EU) 2019/788): nothing here is a
literal. Months are calendar months clamped to the end of a shorter month, so 31 January
plus one month is 28 (or 29) February, the way the Commission's register counts them.

Working days are Monday to Friday. Public holidays are NOT counted: the Commission's own
holidays are not in our data, so a notice date computed here may fall after the real last
day. It is not guaranteed to be the latest safe day; the calendar page says so.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reclaim.eci import rules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from reclaim.eci.models import Initiative


def number(key: str) -> int:
    """A whole number from the "rules" object of rules.json (months, days, euros)."""
    return int(rules.load().general[key])


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (negative goes back), clamped to month end."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def is_working_day(day: date) -> bool:
    """Monday to Friday. Public holidays are not known, so they count as working days."""
    return day.weekday() < 5


def working_days_before(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day`` (weekends skipped)."""
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


# Translated when shown, in the language of the page or the feed being rendered.
_months_lazy = lazy(_months, str)
_working_days_lazy = lazy(_working_days, str)


@dataclass(frozen=True)
class Deadline:
    key: str
    label: StrOrPromise
    date: date
    # True when the date depends on something not decided or not happened yet (the start
    # of collection, the end of verification): it can still move, usually earlier.
    is_estimate: bool
    explanation: StrOrPromise


def _destruction(start: date | None, submitted: date | None, withdrawn: date | None) -> date | None:
    """When paper statements of support must be destroyed at the latest.

    The earlier of one month after submission to the Commission and 21 months after
    collection started; after a withdrawal, one month after it. The 21-month bound still
    applies after a withdrawal: it is the outer limit whatever happens.
    """
    after_start = (
        add_months(start, number("destroy_statements_months_after_start")) if start else None
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
    )


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
    items.append(
        Deadline(
            "notice",
            _("Tell the Commission the start date"),
            working_days_before(start, notice_days),
            start_is_estimate,
            format_lazy(
                _(
                    "At least {period} before collection starts. Only weekends are skipped: "
                    "public holidays are not counted, so send it earlier."
                ),
                period=_working_days_lazy(notice_days),
            ),
        )
    )

    if initiative.collection_end is not None:
        end = initiative.collection_end
        end_is_estimate = False
        end_explanation: StrOrPromise = _(
            "As registered, including any extension (collection periods were extended "
            "during the COVID-19 pandemic)."
        )
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
    destruction = _destruction(start, submitted, withdrawn)
    assert destruction is not None  # start is always known here, chosen or latest
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
