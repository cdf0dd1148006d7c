from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reclaim.eci.deadlines import (
    add_months,
    batch_destruction_deadline,
    deadlines,
    is_working_day,
    number,
    working_days_before,
)
from reclaim.eci.models import Initiative


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Pages in English whatever an earlier test left active (the middleware never resets)."""
    with translation.override("en"):
        yield


def make_initiative(**fields: Any) -> Initiative:
    """Reclaim Your Face: registered 7 January 2021, collecting from 17 February 2021."""
    values: dict[str, Any] = {
        "slug": "ryf",
        "registration_number": "ECI(2021)000001",
        "registered_on": date(2021, 1, 7),
        "title": "Civil society initiative for a ban on biometric mass surveillance practices",
        "objectives": "Ban biometric mass surveillance.",
        "register_url": "https://register.eci.ec.europa.eu/core/initiative/2021/000001",
        "signing_url": "https://eci.ec.europa.eu/016/public/",
        "collection_start": date(2021, 2, 17),
    }
    values.update(fields)
    return Initiative(**values)


def by_key(initiative: Initiative) -> dict[str, Any]:
    return {deadline.key: deadline for deadline in deadlines(initiative)}


@pytest.fixture
def ryf(db: Any) -> Initiative:
    initiative = make_initiative()
    initiative.save()
    return initiative


# --- month arithmetic --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2021, 11, 30), 3, date(2022, 2, 28)),
        (date(2021, 8, 31), 1, date(2021, 9, 30)),
        (date(2021, 12, 17), 1, date(2022, 1, 17)),
        (date(2021, 2, 17), 21, date(2022, 11, 17)),
        (date(2021, 3, 31), -1, date(2021, 2, 28)),
        (date(2021, 1, 15), -1, date(2020, 12, 15)),
        (date(2021, 1, 15), 0, date(2021, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_weekends_are_not_working_days() -> None:
    assert is_working_day(date(2021, 2, 12))  # Friday
    assert not is_working_day(date(2021, 2, 13))
    assert not is_working_day(date(2021, 2, 14))
    assert is_working_day(date(2021, 2, 15))  # Monday


def test_one_working_day_before_a_monday_is_the_friday() -> None:
    assert working_days_before(date(2021, 2, 15), 1) == date(2021, 2, 12)


def test_ten_working_days_before_a_wednesday_skip_two_weekends() -> None:
    assert working_days_before(date(2021, 2, 17), 10) == date(2021, 2, 3)


def test_the_periods_come_from_the_rules_data() -> None:
    assert number("start_collection_within_months_of_registration") == 6
    assert number("notify_commission_working_days_before_start") == 10
    assert number("destroy_statements_months_after_start") == 21


# --- the deadlines of one initiative ------------------------------------------------------


def test_each_deadline_of_a_collecting_initiative() -> None:
    dates = {key: (d.date, d.is_estimate) for key, d in by_key(make_initiative()).items()}
    assert dates == {
        "registration": (date(2021, 1, 7), False),
        "notice": (date(2021, 2, 3), False),
        "collection_start": (date(2021, 2, 17), False),
        "latest_start": (date(2021, 7, 7), False),
        "collection_end": (date(2022, 2, 17), False),
        "submit_for_verification": (date(2022, 5, 17), False),
        "verification_done": (date(2022, 8, 17), True),
        "submit_to_commission": (date(2022, 11, 17), True),
        "destroy_statements": (date(2022, 11, 17), True),
    }


def test_deadlines_come_earliest_first() -> None:
    items = deadlines(make_initiative())
    assert [d.date for d in items] == sorted(d.date for d in items)
    assert items[0].key == "registration"
    assert items[-1].key == "destroy_statements"


def test_every_deadline_explains_itself_in_words() -> None:
    for deadline in deadlines(make_initiative()):
        assert str(deadline.label)
        assert str(deadline.explanation)
    latest = by_key(make_initiative())["latest_start"]
    assert "6 months" in str(latest.explanation)


def test_an_extended_collection_end_is_taken_as_registered() -> None:
    items = by_key(make_initiative(collection_end=date(2022, 8, 1)))
    assert items["collection_end"].date == date(2022, 8, 1)
    assert not items["collection_end"].is_estimate
    assert items["submit_for_verification"].date == date(2022, 11, 1)
    assert items["verification_done"].date == date(2023, 2, 1)
    assert items["submit_to_commission"].date == date(2023, 5, 1)
    # 21 months after the start comes before one month after submission.
    assert items["destroy_statements"].date == date(2022, 11, 17)


def test_without_a_chosen_start_dates_count_from_the_latest_start_as_estimates() -> None:
    items = by_key(make_initiative(collection_start=None))
    assert "collection_start" not in items
    assert items["latest_start"].date == date(2021, 7, 7)
    assert not items["latest_start"].is_estimate
    assert items["notice"].date == date(2021, 6, 23)
    assert items["notice"].is_estimate
    assert items["collection_end"].date == date(2022, 7, 7)
    assert items["collection_end"].is_estimate
    assert items["destroy_statements"].date == date(2023, 4, 7)


def test_verification_counts_from_the_actual_submission_when_known() -> None:
    items = by_key(make_initiative(submitted_for_verification_on=date(2022, 3, 1)))
    assert items["verification_done"].date == date(2022, 6, 1)
    assert items["submit_to_commission"].date == date(2022, 9, 1)


def test_a_known_submission_to_the_commission_fixes_the_destruction_date() -> None:
    items = by_key(make_initiative(submitted_to_commission_on=date(2022, 3, 10)))
    assert items["submit_to_commission"].date == date(2022, 3, 10)
    assert not items["submit_to_commission"].is_estimate
    assert items["destroy_statements"].date == date(2022, 4, 10)
    assert not items["destroy_statements"].is_estimate


def test_after_a_withdrawal_only_earlier_dates_remain_and_destruction_follows_it() -> None:
    items = by_key(make_initiative(withdrawn_on=date(2021, 6, 30)))
    assert list(items) == [
        "registration",
        "notice",
        "collection_start",
        "withdrawal",
        "destroy_statements",
    ]
    assert items["destroy_statements"].date == date(2021, 7, 30)
    assert not items["destroy_statements"].is_estimate


# --- paper batches ------------------------------------------------------------------------


def test_batches_are_destroyed_a_month_after_an_early_submission() -> None:
    initiative = make_initiative(submitted_to_commission_on=date(2022, 3, 10))
    assert batch_destruction_deadline(initiative) == date(2022, 4, 10)


def test_batches_are_destroyed_21_months_after_the_start_when_that_is_earlier() -> None:
    initiative = make_initiative(submitted_to_commission_on=date(2022, 11, 1))
    assert batch_destruction_deadline(initiative) == date(2022, 11, 17)


def test_batches_are_destroyed_a_month_after_a_withdrawal() -> None:
    initiative = make_initiative(withdrawn_on=date(2021, 1, 31))
    assert batch_destruction_deadline(initiative) == date(2021, 2, 28)


def test_before_submission_the_batch_deadline_is_21_months_after_the_start() -> None:
    assert batch_destruction_deadline(make_initiative()) == date(2022, 11, 17)


def test_the_batch_deadline_is_unknown_before_collection_starts() -> None:
    assert batch_destruction_deadline(make_initiative(collection_start=None)) is None


# --- the page and the feed ----------------------------------------------------------------


def test_the_calendar_page_lists_every_deadline(client: Client, ryf: Initiative) -> None:
    response = client.get(reverse("eci:calendar", args=[ryf.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    for deadline in deadlines(ryf):
        assert f'datetime="{deadline.date.isoformat()}"' in page
        assert str(deadline.label) in page
    assert "<caption" in page
    assert 'scope="col"' in page
    assert "Public holidays" in page
    assert reverse("eci:calendar_ics", args=[ryf.slug]) in page


def test_the_calendar_page_of_an_unknown_initiative_is_not_found(client: Client, db: Any) -> None:
    assert client.get(reverse("eci:calendar", args=["nope"])).status_code == 404


def test_the_feed_parses_back_with_one_all_day_event_per_deadline(
    client: Client, ryf: Initiative
) -> None:
    response = client.get(reverse("eci:calendar_ics", args=[ryf.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    feed = icalendar.Calendar.from_ical(response.content)
    events = feed.walk("VEVENT")
    expected = deadlines(ryf)
    assert len(events) == len(expected) == 9
    for event, deadline in zip(events, expected, strict=True):
        assert event.decoded("dtstart") == deadline.date  # a date: an all-day event
        assert str(event["uid"]) == f"{deadline.key}.ryf@reclaim"
        assert str(deadline.label) in str(event["summary"])
        assert "dtstamp" in event


def test_the_feed_keeps_its_uids_across_requests(client: Client, ryf: Initiative) -> None:
    url = reverse("eci:calendar_ics", args=[ryf.slug])
    first, second = (
        [
            str(e["uid"])
            for e in icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
        ]
        for _ in range(2)
    )
    assert first == second
    assert len(set(first)) == len(first)


def test_the_feed_follows_the_request_language(client: Client, ryf: Initiative) -> None:
    # override() puts the previous language back: the middleware leaves German active.
    with translation.override("de"):
        response = client.get(reverse("eci:calendar_ics", args=[ryf.slug]))
    assert response.request["PATH_INFO"].startswith("/de/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"
