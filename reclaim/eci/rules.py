"""The rules of the European Citizens' Initiative, as data.

Everything that decides whether a person may support an initiative, what the Commission's
form asks them, and where the thresholds lie comes from ``data/rules.json``, a versioned
copy of the rules with its sources and the date they were last checked. Nothing here is a
literal: change the data file, and its ``version``, when the law or the member states do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("data") / "rules.json"


@dataclass(frozen=True)
class Country:
    iso: str  # ISO 3166-1 alpha-2, as everywhere else in reclaim (GR for Greece)
    eu: str  # the code EU documents use (EL for Greece)
    name: str
    meps: dict[str, int]
    min_age: int
    data_part: str  # "A": address and date of birth; "B": an ID number or document
    id_documents: tuple[str, ...]
    eid: str  # whether national eID signing is offered in the central system
    notes: str

    @property
    def eid_offered(self) -> bool:
        return self.eid.startswith("yes")

    @property
    def eid_known(self) -> bool:
        return not self.eid.startswith("unknown")


@dataclass(frozen=True)
class ThresholdTable:
    id: str
    registered_from: date
    registered_until: date | None
    total_meps: int
    instrument: str


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, as the Commission's signing system takes it (``?lg=``)
    name: str  # the language's own name for itself


@dataclass(frozen=True)
class Rules:
    version: str
    checked: str
    source: str
    tables: tuple[ThresholdTable, ...]
    countries: tuple[Country, ...]
    general: dict[str, Any]
    form_columns: dict[str, tuple[str, ...]]
    languages: tuple[Language, ...] = ()  # the EU's official languages

    @property
    def total_required(self) -> int:
        return int(self.general["total_signatories"])

    @property
    def states_required(self) -> int:
        return int(self.general["min_member_states_over_threshold"])

    @property
    def invalid_percent(self) -> tuple[int, int]:
        """The share of statements verification usually removes, lowest and highest (%)."""
        return (
            int(self.general["verification_invalid_percent_low"]),
            int(self.general["verification_invalid_percent_high"]),
        )

    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    def country(self, iso: str) -> Country:
        for country in self.countries:
            if country.iso == iso or country.eu == iso:
                return country
        raise KeyError(iso)

    def codes(self) -> list[str]:
        return [country.iso for country in self.countries]

    def table_for(self, registered_on: date) -> ThresholdTable:
        """The threshold table in force on the day the initiative was registered."""
        for table in self.tables:
            if registered_on >= table.registered_from and (
                table.registered_until is None or registered_on <= table.registered_until
            ):
                return table
        raise LookupError(f"No threshold table covers registrations on {registered_on}.")

    def thresholds(self, table: ThresholdTable) -> dict[str, int]:
        """Minimum signatories per member state: its MEPs times the total number of MEPs."""
        return {c.iso: c.meps[table.id] * table.total_meps for c in self.countries}


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@cache
def load(path: Path = DATA_FILE) -> Rules:
    raw = json.loads(path.read_text(encoding="utf-8"))
    tables = tuple(
        ThresholdTable(
            id=t["id"],
            registered_from=date.fromisoformat(t["registered_from"]),
            registered_until=_date(t.get("registered_until")),
            total_meps=int(t["total_meps"]),
            instrument=t["instrument"],
        )
        for t in raw["threshold_tables"]
    )
    countries = tuple(
        Country(
            iso=c["iso"],
            eu=c["eu"],
            name=c["name"],
            meps={k: int(v) for k, v in c["meps"].items()},
            min_age=int(c["min_age"]),
            data_part=c["data_part"],
            id_documents=tuple(c["id_documents"]),
            eid=c["eid_in_central_system"],
            notes=c.get("notes", ""),
        )
        for c in raw["countries"]
    )
    return Rules(
        version=raw["version"],
        checked=raw["checked"],
        source=raw["source"],
        tables=tables,
        countries=countries,
        general=raw["rules"],
        form_columns={k: tuple(v) for k, v in raw["form_columns"].items()},
        languages=tuple(
            Language(code=item["code"], name=item["name"])
            for item in raw["official_languages"]["languages"]
        ),
    )


def _member_state_codes() -> dict[str, str]:
    """Every code we accept for a member state, to its ISO code (EL, the EU's, to GR)."""
    codes: dict[str, str] = {}
    for country in load().countries:
        codes[country.iso] = country.iso
        codes[country.eu] = country.iso
    return codes


def member_state(code: str) -> str | None:
    """The ISO code of a member state given as ISO or EU code, or None if it is not one."""
    return _member_state_codes().get(code.strip().upper())


def age_on(birth: date, day: date) -> int:
    """Completed years on ``day`` (a person born on 29 February ages on 1 March)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years
