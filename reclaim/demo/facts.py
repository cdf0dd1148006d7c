"""Facts the demo content of several apps shares, kept as data files in ``data/``.

- ``organisations.json``: the coalition as its public campaign pages list it (name,
  country of the seat, role, website where the pages name one).
- ``countries.json``: the 27 member states with their population (to spread invented
  signers like the population), the Faker locale their invented people come from, and
  the language of this site their invented signers use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")


def _read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Organisation:
    name: str
    country: str | None
    role: str
    website: str = ""


@dataclass(frozen=True)
class MemberState:
    iso: str
    population_millions: float
    locale: str
    site_language: str


@cache
def organisations() -> tuple[Organisation, ...]:
    return tuple(
        Organisation(
            name=item["name"],
            country=item.get("country"),
            role=item.get("role", ""),
            website=item.get("website", ""),
        )
        for item in _read("organisations.json")["organisations"]
    )


@cache
def member_states() -> tuple[MemberState, ...]:
    return tuple(
        MemberState(
            iso=iso,
            population_millions=float(item["population_millions"]),
            locale=item["faker_locale"],
            site_language=item["site_language"],
        )
        for iso, item in _read("countries.json")["member_states"].items()
    )


def population() -> dict[str, float]:
    return {state.iso: state.population_millions for state in member_states()}
