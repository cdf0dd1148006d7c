from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from reclaim.demo.steps import DemoContext
from reclaim.eci.deadlines import (
    HOLIDAYS_DIR,
    add_months,
    batch_destruction_deadline,
    deadlines,
    holidays,
    is_working_day,
    missing_holiday_years,
    number,
    working_days_before,
)
from reclaim.eci.demo import run
from reclaim.eci.models import Initiative
from reclaim.eci.services.initiatives import save_initiative


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
        # No holiday list for 2021: weekends only, so the date is marked as an estimate.
        "notice": (date(2021, 2, 3), True),
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
    # The 21 months move with the 165 days the collection ran beyond 12 months, so the
    # statements are not due for destruction before they could be verified and submitted.
    assert items["destroy_statements"].date == date(2023, 5, 1)


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


# --- the Commission's public holidays -----------------------------------------------------


def test_the_commissions_public_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 5, 1))  # Labour Day, a Friday
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 5, 15))  # the Friday after Ascension Day
    assert not is_working_day(date(2027, 12, 29))  # between Christmas and New Year
    assert is_working_day(date(2026, 4, 30))


def test_the_notice_before_a_start_after_1_may_skips_the_holiday() -> None:
    # Weekends only would give Monday 20 April; Friday 1 May is a Commission holiday.
    assert working_days_before(date(2026, 5, 4), 10) == date(2026, 4, 17)
    items = by_key(
        make_initiative(registered_on=date(2026, 3, 2), collection_start=date(2026, 5, 4))
    )
    assert items["notice"].date == date(2026, 4, 17)
    assert not items["notice"].is_estimate
    assert "public holidays" in str(items["notice"].explanation)


def test_the_notice_before_easter_skips_the_whole_easter_break() -> None:
    # 25 March to 29 March 2027: Maundy Thursday, Good Friday, the weekend, Easter Monday.
    assert working_days_before(date(2027, 3, 30), 3) == date(2027, 3, 22)


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_each_holiday_file_names_its_source_and_lists_only_its_year(year: int) -> None:
    raw = json.loads((HOLIDAYS_DIR / f"{year}.json").read_text(encoding="utf-8"))
    assert "Commission decision" in raw["source"]
    assert "Official Journal" in raw["source"]
    days = holidays(year)
    assert days is not None
    assert {date(year, 1, 1), date(year, 5, 1), date(year, 5, 9), date(year, 12, 24)} <= days
    assert all(day.year == year for day in days)


def test_a_year_without_a_holiday_file_falls_back_to_weekends_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert holidays(2021) is None
    assert missing_holiday_years(date(2020, 12, 20), date(2021, 1, 5)) == [2020, 2021]
    with caplog.at_level(logging.WARNING, logger="reclaim.eci.deadlines"):
        notice = by_key(make_initiative())["notice"]
    assert notice.date == date(2021, 2, 3)
    assert notice.is_estimate
    assert "public holidays for 2021 are not in our data" in str(notice.explanation)
    assert "2021" in caplog.text


# --- the collection period as entered ----------------------------------------------------


def admin_form(initiative: Initiative, **changes: Any) -> dict[str, str]:
    """What the admin's change form posts for ``initiative``, with ``changes``."""
    values: dict[str, Any] = {
        "slug": initiative.slug,
        "registration_number": initiative.registration_number,
        "registered_on": initiative.registered_on,
        "title": initiative.title,
        "objectives": initiative.objectives,
        "register_url": initiative.register_url,
        "signing_url": initiative.signing_url,
        "signing_links": json.dumps(initiative.signing_links),
        "collection_start": initiative.collection_start,
        "collection_end": initiative.collection_end,
        "collection_end_before_extension": "",
        "extended_under": "",
        "representative_name": "",
        "representative_email": "",
        "registered_language": "en",
        "translations": "{}",
        "status": initiative.status,
        "safety_target_percent": "120",
    }
    values.update(changes)
    return {
        key: value.isoformat() if isinstance(value, date) else ("" if value is None else value)
        for key, value in values.items()
    }


def test_the_admin_refuses_a_fourteen_month_collection_and_saves_nothing(
    as_user: Any, organiser: Any, ryf: Initiative
) -> None:
    client = as_user(organiser)
    url = reverse("admin:eci_initiative_change", args=[ryf.pk])
    response = client.post(url, admin_form(ryf, collection_end=date(2022, 4, 17)))
    assert response.status_code == 200  # the form again, with its errors
    page = response.content.decode()
    assert "A collection lasts at most 12 months" in page
    assert formats.date_format(date(2022, 2, 17), "DATE_FORMAT") in page
    ryf.refresh_from_db()
    assert ryf.collection_end is None


def test_the_admin_refuses_a_start_more_than_six_months_after_registration(
    as_user: Any, organiser: Any, ryf: Initiative
) -> None:
    client = as_user(organiser)
    url = reverse("admin:eci_initiative_change", args=[ryf.pk])
    response = client.post(url, admin_form(ryf, collection_start=date(2021, 7, 8)))
    assert response.status_code == 200
    assert "Collection must start within 6 months of registration" in response.content.decode()
    ryf.refresh_from_db()
    assert ryf.collection_start == date(2021, 2, 17)


def test_the_admin_saves_a_collection_extended_under_the_covid_rules(
    as_user: Any, organiser: Any, ryf: Initiative
) -> None:
    client = as_user(organiser)
    url = reverse("admin:eci_initiative_change", args=[ryf.pk])
    form = admin_form(
        ryf,
        collection_end=date(2022, 8, 1),
        collection_end_before_extension=date(2022, 2, 17),
        extended_under="Regulation (EU) 2020/1042",
    )
    response = client.post(url, form)
    assert response.status_code == 302
    ryf.refresh_from_db()
    assert ryf.collection_end == date(2022, 8, 1)
    assert ryf.extended_under == "Regulation (EU) 2020/1042"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"collection_end": date(2022, 4, 17)}, "collection_end"),
        ({"collection_start": date(2021, 1, 6)}, "collection_start"),
        ({"collection_start": date(2021, 7, 8)}, "collection_start"),
        ({"collection_end": date(2021, 2, 1)}, "collection_end"),
        (
            {"collection_end": date(2022, 8, 1), "extended_under": "Regulation (EU) 2020/1042"},
            "collection_end_before_extension",
        ),
        (
            {
                "collection_end": date(2022, 8, 1),
                "collection_end_before_extension": date(2022, 2, 17),
                "extended_under": "a letter from a friend",
            },
            "extended_under",
        ),
        (
            {
                "collection_end": date(2022, 8, 1),
                "collection_end_before_extension": date(2022, 2, 17),
            },
            "extended_under",
        ),
        (
            {
                "collection_end": date(2022, 8, 1),
                "collection_end_before_extension": date(2022, 4, 17),
                "extended_under": "Regulation (EU) 2020/1042",
            },
            "collection_end_before_extension",
        ),
        ({"translations": {"de": {"titel": "x"}}}, "translations"),
    ],
)
def test_save_initiative_refuses_dates_the_law_does_not_allow(
    ryf: Initiative, changes: dict[str, Any], field: str
) -> None:
    for name, value in changes.items():
        setattr(ryf, name, value)
    with pytest.raises(ValidationError) as refused:
        save_initiative(ryf)
    assert field in refused.value.message_dict
    stored = Initiative.objects.get(pk=ryf.pk)
    assert stored.collection_end is None
    assert stored.collection_start == date(2021, 2, 17)


def test_an_extension_moves_every_date_after_the_end_of_collection() -> None:
    plain = by_key(make_initiative(collection_end=date(2022, 2, 17)))
    extended = by_key(
        make_initiative(
            collection_end=date(2022, 8, 1),
            collection_end_before_extension=date(2022, 2, 17),
            extended_under="Regulation (EU) 2020/1042",
        )
    )
    assert plain["destroy_statements"].date == date(2022, 11, 17)
    for key in ("collection_end", "submit_for_verification", "verification_done"):
        assert extended[key].date > plain[key].date
    assert extended["submit_to_commission"].date == date(2023, 5, 1)
    assert extended["destroy_statements"].date == date(2023, 5, 1)
    assert "Regulation (EU) 2020/1042" in str(extended["collection_end"].explanation)
    assert "165 days" in str(extended["destroy_statements"].explanation)
    initiative = make_initiative(
        collection_end=date(2022, 8, 1), submitted_to_commission_on=date(2023, 3, 1)
    )
    assert batch_destruction_deadline(initiative) == date(2023, 4, 1)


# The procedure's order: no date may come before one it follows from.
LEGAL_ORDER = [
    "registration",
    "collection_start",
    "collection_end",
    "submit_for_verification",
    "verification_done",
    "submit_to_commission",
    "destroy_statements",
]


def test_every_demo_initiative_has_its_dates_in_legal_order(
    db: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0)
    run(context)
    initiatives = list(Initiative.objects.all())
    assert len(initiatives) == 2
    for initiative in initiatives:
        save_initiative(initiative)  # what the demo entered passes the checks
        items = by_key(initiative)
        dates = [items[key].date for key in LEGAL_ORDER if key in items]
        assert dates == sorted(dates), initiative.registration_number
        assert items["notice"].date < items["collection_start"].date
        assert items["collection_start"].date <= items["latest_start"].date
    ryf = Initiative.objects.get(registration_number="ECI(2021)000001")
    assert ryf.extended_under == "Regulation (EU) 2020/1042"
    assert by_key(ryf)["destroy_statements"].date == date(2023, 5, 1)
