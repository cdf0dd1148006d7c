"""The rules as data: thresholds, tables, and every member state's age rule."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from reclaim.eci import rules
from reclaim.eci.eligibility import NOT_EU, check

RULES = rules.load()
SHARED = Path(__file__).resolve().parents[4] / "shared" / "eci" / "countries.json"


def test_the_2024_table_sums_to_518_400():
    table = RULES.table_for(date(2024, 7, 16))
    assert table.id == "2024"
    assert sum(RULES.thresholds(table).values()) == 518_400


def test_the_2019_table_sums_to_497_025():
    table = RULES.table_for(date(2021, 1, 7))
    assert table.id == "2019"
    assert sum(RULES.thresholds(table).values()) == 497_025


def test_the_table_is_chosen_by_registration_date():
    assert RULES.table_for(date(2024, 7, 15)).id == "2019"
    assert RULES.table_for(date(2024, 7, 16)).id == "2024"
    with pytest.raises(LookupError):
        RULES.table_for(date(2019, 1, 1))


@pytest.mark.parametrize(
    ("iso", "threshold_2024"),
    [("DE", 69_120), ("FR", 58_320), ("MT", 4_320), ("GR", 15_120), ("AT", 14_400)],
)
def test_thresholds_are_meps_times_the_total(iso, threshold_2024):
    assert RULES.thresholds(RULES.table_for(date(2025, 1, 1)))[iso] == threshold_2024


def test_there_are_27_member_states_and_greece_answers_to_both_codes():
    assert len(RULES.codes()) == 27
    assert RULES.country("EL") is RULES.country("GR")


def test_the_data_carries_its_version_source_and_check_date():
    assert RULES.version and RULES.checked and "2019/788" in RULES.source


@pytest.mark.skipif(not SHARED.exists(), reason="shared rules not beside the checkout")
def test_the_packaged_rules_match_the_shared_source():
    shared = json.loads(SHARED.read_text())
    ours = json.loads(rules.DATA_FILE.read_text())
    assert ours["countries"] == shared["countries"]
    assert ours["threshold_tables"] == shared["threshold_tables"]


@pytest.mark.parametrize("country", RULES.countries, ids=lambda c: c.iso)
def test_every_member_states_age_rule(country):
    assert check(country.iso, age=country.min_age).eligible
    younger = check(country.iso, age=country.min_age - 1)
    assert not younger.eligible
    assert younger.reason == "too_young"
    assert younger.min_age == country.min_age


@pytest.mark.parametrize(
    ("iso", "age", "eligible"),
    [
        ("DE", 16, True),
        ("AT", 16, True),
        ("FR", 16, False),
        ("GR", 17, True),
        ("GR", 16, False),
        ("BE", 16, True),
        ("EE", 16, True),
        ("MT", 16, True),
        ("IT", 17, False),
        ("IT", 18, True),
    ],
)
def test_the_named_cases_from_the_issue(iso, age, eligible):
    assert check(iso, age=age).eligible is eligible


def test_the_age_is_computed_from_a_date_of_birth_on_the_day():
    today = date(2026, 11, 23)
    assert check("FR", birth=date(2008, 11, 23), today=today).eligible
    assert not check("FR", birth=date(2008, 11, 24), today=today).eligible
    assert rules.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert rules.age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_a_citizen_of_no_member_state_cannot_support():
    result = check(NOT_EU, age=40)
    assert not result.eligible
    assert result.reason == "not_eu_citizen"
