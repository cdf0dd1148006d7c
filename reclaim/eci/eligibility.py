"""Who may support an initiative, and what the Commission's form will ask them.

Nothing is stored: the checker reads the answer from the query string and forgets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reclaim.eci import rules

NOT_EU = "other"


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str  # "ok", "too_young", "not_eu_citizen"
    country: rules.Country | None
    age: int | None
    min_age: int | None

    @property
    def data_part(self) -> str | None:
        return self.country.data_part if self.country else None


def check(
    nationality: str, age: int | None = None, birth: date | None = None, today: date | None = None
) -> Eligibility:
    """Signatories count in their member state of nationality, wherever they live; the
    minimum age is that state's (16 in a few, 17 in Greece, 18 elsewhere)."""
    if nationality == NOT_EU:
        return Eligibility(False, "not_eu_citizen", None, age, None)
    country = rules.load().country(nationality)
    if birth is not None:
        age = rules.age_on(birth, today or date.today())
    if age is None:
        raise ValueError("Give an age or a date of birth.")
    if age < country.min_age:
        return Eligibility(False, "too_young", country, age, country.min_age)
    return Eligibility(True, "ok", country, age, country.min_age)
