"""Parsing what the counters answer, and the figures organisers upload, strictly.

- The central online collection system's *progression*: the online total.
- The register's *details*: online and paper per member state, with the day they refer to
  (the Commission's day, in Brussels).
- An organiser's CSV upload: one figure per member state.

Nothing is documented as an API, so a wrong shape is refused whole (``SyncError``), except
an unknown country code in the register, which is skipped and reported. Counts are whole
numbers a ``CounterReading`` can store.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.eci.models import MAX_COUNT
from reclaim.eci.rules import member_state
from reclaim.eci.sync.errors import SyncError

# Dates without a time in the register are the Commission's days, in Brussels.
REGISTER_TIMEZONE = ZoneInfo("Europe/Brussels")
# An upload: a header and one line per member state; a few bytes each.
MAX_CSV_ROWS = 27


# --- The counters' JSON ---------------------------------------------------------------


def _count(value: Any, what: str) -> int:
    # bool is an int in Python, and 1.0 is not a count: both are a wrong shape here.
    if type(value) is not int:
        raise SyncError(f"{what} is not a whole number")
    if value < 0:
        raise SyncError(f"{what} is negative")
    if value > MAX_COUNT:
        raise SyncError(f"{what} is too large")
    return value


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SyncError(f"{what} is not an object")
    return value


def parse_progression(data: Any) -> int:
    """The online total from the central system: ``{"signatureCount": N, "goal": G}``."""
    answer = _object(data, "answer")
    if "signatureCount" not in answer:
        raise SyncError("signatureCount missing")
    return _count(answer["signatureCount"], "signatureCount")


def parse_update_date(value: Any) -> datetime | None:
    """The register's ``updateDate``: ``dd/mm/yyyy`` or ISO 8601; None if neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", value)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            parsed = datetime(year, month, day)
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=REGISTER_TIMEZONE)
    return parsed


@dataclass
class RegisterReport:
    total: int
    countries: dict[str, int]
    reported_at: datetime | None
    ignored: list[str] = field(default_factory=list)


def parse_register(data: Any) -> RegisterReport:
    """Online and paper figures per member state from the register's details answer."""
    answer = _object(data, "answer")
    report = _object(answer.get("sosReport"), "sosReport")
    total = _count(report.get("totalSignatures"), "totalSignatures")
    entries = report.get("entry")
    if not isinstance(entries, list):
        raise SyncError("sosReport.entry is not a list")
    countries: dict[str, int] = {}
    ignored: list[str] = []
    for entry in entries:
        entry = _object(entry, "entry")
        code = entry.get("countryCodeType")
        if not isinstance(code, str):
            raise SyncError("countryCodeType is not text")
        iso = member_state(code)
        if iso is None:
            # A code we do not know (a new aggregate, a typo upstream) says nothing about
            # the member states we do know: skip that line, keep the rest.
            ignored.append(code[:8])
            continue
        count = _count(entry.get("total"), f"total for {iso}")
        if iso in countries:
            raise SyncError(f"{iso} given twice")
        countries[iso] = count
    return RegisterReport(
        total=total,
        countries=countries,
        reported_at=parse_update_date(report.get("updateDate")),
        ignored=ignored,
    )


# --- The organisers' CSV --------------------------------------------------------------


def parse_figures_csv(text: str) -> dict[str, int]:
    """Per-country figures from an upload: a ``country,count`` header, then one line each.

    Codes are ISO (EL is taken for GR), only the member states; counts are whole numbers
    of zero or more, written without separators. Semicolons, as spreadsheets in much of
    Europe write them, are accepted in place of commas. Every bad line is reported, by
    its number; nothing is returned unless all are good.
    """
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise ValidationError(_("The file is empty."), code="empty")
        if [cell.strip().lower() for cell in header] != ["country", "count"]:
            raise ValidationError(
                _("Line %(line)d: the first line must be the header “country,count”."),
                code="header",
                params={"line": reader.line_num},
            )
        figures: dict[str, int] = {}
        errors: list[ValidationError] = []
        rows = 0
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > MAX_CSV_ROWS:
                raise ValidationError(
                    _("Line %(line)d: the file has more than %(max)d lines of figures."),
                    code="too_many",
                    params={"line": line, "max": MAX_CSV_ROWS},
                )
            error = _check_row(row, line, figures)
            if error is not None:
                errors.append(error)
    except csv.Error as exc:
        raise ValidationError(
            _("Line %(line)d: this is not a readable CSV line."),
            code="csv",
            params={"line": reader.line_num},
        ) from exc
    if errors:
        raise ValidationError(errors)
    if not figures:
        raise ValidationError(_("The file has no figures, only the header."), code="empty")
    return figures


def _check_row(row: list[str], line: int, figures: dict[str, int]) -> ValidationError | None:
    """Add one good line to ``figures``, or say what is wrong with it."""
    if len(row) != 2:
        return ValidationError(
            _("Line %(line)d: expected two values, a country code and a count."),
            code="columns",
            params={"line": line},
        )
    code, count = row[0].strip(), row[1].strip()
    iso = member_state(code)
    if iso is None:
        return ValidationError(
            _("Line %(line)d: “%(code)s” is not the code of an EU member state."),
            code="country",
            params={"line": line, "code": code[:8]},
        )
    if iso in figures:
        return ValidationError(
            _("Line %(line)d: %(code)s is given more than once."),
            code="repeated",
            params={"line": line, "code": iso},
        )
    if not re.fullmatch(r"[0-9]{1,10}", count) or int(count) > MAX_COUNT:
        return ValidationError(
            _("Line %(line)d: the count must be a whole number of zero or more, like 1234."),
            code="count",
            params={"line": line},
        )
    figures[iso] = int(count)
    return None


def as_of(day: date | None) -> datetime | None:
    """A date an organiser gave for their figures: the start of that day in Brussels,
    like the register's own dates."""
    if day is None:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=REGISTER_TIMEZONE)
