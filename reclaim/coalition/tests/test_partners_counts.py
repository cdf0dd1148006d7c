"""A partner sees how many confirmed, valid signatures their own widgets brought: per
campaign, per country and per week. Counts only."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reclaim.coalition.models import Organisation, Widget
from reclaim.coalition.partner_counts import signature_counts
from reclaim.coalition.services.partners import PARTNER_COUNTS, organisation_counts
from reclaim.coalition.tests.fixtures_partners import *  # noqa: F403
from reclaim.coalition.tests.fixtures_partners import make_widget, sign
from reclaim.letters.models import Petition

pytestmark = pytest.mark.django_db

COUNTS = "/en/coalition/partner/digital-a/counts/"


@pytest.fixture
def signed(
    petition: Petition, letter: Petition, org_a: Organisation, widget_a: Widget, widget_b: Widget
) -> dict[str, Any]:
    retired = make_widget(org_a, letter, "key-of-a-retired")
    retired.retired_at = timezone.now()
    retired.save()
    sign(petition, widget_a.key, "DE", public_name="Hanna Private")
    sign(petition, widget_a.key, "DE", days_ago=14)
    sign(petition, widget_a.key, "AT", days_ago=14)
    # What a retired widget brought stays the partner's.
    sign(letter, retired.key, "FR", days_ago=1)
    # Not counted: unconfirmed, invalidated, another member's widget, our own pages.
    sign(petition, widget_a.key, "DE", confirmed_at=None)
    sign(petition, widget_a.key, "DE", invalidated_at=timezone.now())
    sign(petition, widget_b.key, "DE")
    sign(petition, "", "DE")
    return {"petition": petition, "letter": letter}


def test_counts_are_per_campaign_country_and_week_of_own_widgets_only(
    signed: dict[str, Any],
    org_a: Organisation,
) -> None:
    signatures = next(c for c in organisation_counts(org_a) if c.name == "signatures")
    assert signatures.total == 4
    assert dict(signatures.by_campaign) == {
        "Ban biometric mass surveillance": 3,
        "Will you stand up for our rights?": 1,
    }
    assert dict(signatures.by_country) == {"DE": 2, "AT": 1, "FR": 1}
    weeks = signatures.by_week
    assert sum(count for _week, count in weeks) == 4
    # Every week from the first to the last, Mondays, seven days apart, gaps included.
    assert all(week.weekday() == 0 for week, _count in weeks)
    assert all(b[0] - a[0] == timedelta(days=7) for a, b in zip(weeks, weeks[1:], strict=False))
    assert len(weeks) in (3, 4)  # 14 days back spans two or three week boundaries


def test_the_counts_take_one_aggregate_query_and_one_for_titles(signed: dict[str, Any]) -> None:
    keys = list(Widget.objects.values_list("key", flat=True))
    with CaptureQueriesContext(connection) as queries:
        signature_counts(keys)
    assert len(queries) == 2
    assert "GROUP BY" in queries[0]["sql"].upper()


def test_the_counts_page_shows_numbers_and_never_a_name(
    signed: dict[str, Any],
    partner_a: Any,
    as_user: Any,
) -> None:
    response = as_user(partner_a).get(COUNTS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Signatures: 4" in body
    assert "Germany" in body and "Austria" in body and "France" in body
    assert "Hanna Private" not in body
    assert "<svg" in body and 'aria-hidden="true"' in body
    # The chart needs no script.
    assert "<script" not in body
    assert re.search(r"Week starting", body)


def test_a_partner_without_signatures_sees_none_yet(partner_a: Any, as_user: Any) -> None:
    body = as_user(partner_a).get(COUNTS).content.decode()
    assert "None yet." in body


def test_the_widgets_page_gives_the_snippet_and_says_which_are_retired(
    signed: dict[str, Any],
    partner_a: Any,
    as_user: Any,
) -> None:
    body = as_user(partner_a).get("/en/coalition/partner/digital-a/widgets/").content.decode()
    assert (
        body.count("&lt;iframe src=&quot;http://testserver/en/coalition/widgets/key-of-a-0000000/")
        == 1
    )
    assert "key-of-b-0000000" not in body
    assert "Retired on" in body
    # The retired widget's code is not offered for pasting.
    assert "widgets/key-of-a-retired/" not in body
    assert "3 confirmed signatures came through it." in body


def test_another_app_adds_a_source_through_the_hook() -> None:
    # The coalition's own, then the newsletter's (reclaim/newsletter/partner_counts.py),
    # in the order of INSTALLED_APPS.
    assert [source.name for source in PARTNER_COUNTS] == ["signatures", "newsletter_subscriptions"]
