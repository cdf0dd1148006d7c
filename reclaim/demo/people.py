"""Invented people for the demo, from Faker with a fixed seed and a locale per country.

Person *n* of a series is always the same person (name and address), whatever the total
and whatever was drawn before: their generator is seeded with the series and *n* alone. So
a second run of the demo, even with more signatures, adds only the people who are missing.
Every address ends in ``@example.org``, a domain reserved for examples (RFC 2606).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from reclaim.demo.facts import member_states

if TYPE_CHECKING:
    from faker import Faker


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    country: str
    site_language: str


@cache
def _faker(locale: str) -> Faker:
    # Imported here, not at the top: every web worker reads the demo steps at start-up (so a
    # broken one stops the site), and Faker with its locales would cost each worker ~10 MB
    # it never uses.
    from faker import Faker

    return Faker(locale)


def person(series: str, n: int, country: str | None = None) -> Person:
    """Person ``n`` of ``series``: from ``country``, or from a member state drawn by
    population when none is given."""
    rng = random.Random(f"reclaim-demo-{series}-{n}")
    states = {state.iso: state for state in member_states()}
    if country is None:
        country = rng.choices(list(states), [s.population_millions for s in states.values()])[0]
    state = states[country]
    fake = _faker(state.locale)
    fake.seed_instance(f"reclaim-demo-{series}-{n}")
    if rng.random() < 0.5:
        name = f"{fake.first_name_female()} {fake.last_name_female()}"
    else:
        name = f"{fake.first_name_male()} {fake.last_name_male()}"
    return Person(name, f"{series}.{n:05d}@example.org", country, state.site_language)


def rng_for(series: str, n: int) -> random.Random:
    """A generator for the rest of person ``n``'s choices (listed or not, a comment...)."""
    return random.Random(f"reclaim-demo-{series}-{n}-choices")
