"""The organisers' representative's name and address: found, shown, erased, and kept only
until the initiative's paper statements of support must be destroyed."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import formats, timezone

from reclaim.audit.models import AuditEntry
from reclaim.eci.deadlines import add_months, deadlines, statements_destruction_date
from reclaim.eci.models import Initiative
from reclaim.eci.privacy import representatives
from reclaim.eci.retention import POLICIES, representatives_due
from reclaim.eci.services.initiatives import erase_representative
from reclaim.lib.emailhash import email_hash
from reclaim.privacy.purge import policies, run_purge
from reclaim.privacy.registry import find_all

pytestmark = pytest.mark.django_db

REQUEST_PAGE = "/en/privacy/data/"
LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/privacy/data/r/[A-Za-z0-9_\-]+/)")

MARA = "Mara.Lindqvist@gmail.com"
# The same mailbox as Gmail delivers it: another case, the dots, a +tag, the other domain.
MARA_ASKS_AS = "MARALINDQVIST+eci@googlemail.com"
OLE = "ole@reclaim.example"
REPRESENTATIVE = ("representative_name", "representative_email")


def _initiative(number: int, **fields: Any) -> Initiative:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "slug": f"initiative-{number}",
        "registration_number": f"ECI(2025){number:06d}",
        "registered_on": today - timedelta(days=30),
        "title": f"Initiative {number}",
        "objectives": "Objectives.",
        "register_url": f"https://register.eci.ec.europa.eu/core/initiative/2025/{number:06d}",
        "signing_url": "https://eci.ec.europa.eu/050/public/",
        "representative_name": f"Representative {number}",
        "representative_email": f"representative{number}@reclaim.example",
    }
    data.update(fields)
    return Initiative.objects.create(**data)


def _representatives() -> dict[int, tuple[str, str]]:
    return {
        pk: (name, email)
        for pk, name, email in Initiative.objects.values_list("pk", *REPRESENTATIVE)
    }


def _rows() -> dict[int, dict[str, Any]]:
    """Every initiative with every field, to compare before and after."""
    return {row["id"]: row for row in Initiative.objects.values()}


@pytest.fixture
def world() -> dict[str, Initiative]:
    """Initiatives on each side of their destruction date, with and without details."""
    today = timezone.localdate()
    return {
        # Submitted long ago: the statements were due for destruction years back.
        "submitted": _initiative(
            1,
            registered_on=date(2021, 1, 7),
            collection_start=date(2021, 2, 17),
            collection_end=date(2022, 2, 17),
            submitted_to_commission_on=date(2022, 12, 1),
            status=Initiative.Status.SUBMITTED,
            representative_name="Mara Lindqvist",
            representative_email=MARA,
        ),
        # Withdrawn two months ago: the withdrawal brought the date forward, now past.
        "withdrawn": _initiative(
            2,
            registered_on=today - timedelta(days=120),
            withdrawn_on=add_months(today, -2),
            status=Initiative.Status.WITHDRAWN,
        ),
        # Withdrawn ten days ago: a month after it has not passed yet.
        "withdrawn_recently": _initiative(
            3,
            registered_on=today - timedelta(days=120),
            withdrawn_on=today - timedelta(days=10),
            status=Initiative.Status.WITHDRAWN,
        ),
        # Collecting: its statements are years from destruction.
        "collecting": _initiative(
            4,
            collection_start=today - timedelta(days=10),
            status=Initiative.Status.COLLECTING,
            representative_email=OLE,
        ),
        # Long past its date, but nothing to erase.
        "blank": _initiative(
            5,
            registered_on=date(2020, 1, 7),
            representative_name="",
            representative_email="",
        ),
    }


# --- The date ---------------------------------------------------------------------------


def test_the_erasure_date_is_the_calendar_s_date_for_destroying_the_statements(world):
    for initiative in world.values():
        shown = next(d for d in deadlines(initiative) if d.key == "destroy_statements")
        assert statements_destruction_date(initiative) == shown.date


def test_a_withdrawal_brings_the_date_to_a_month_after_it(world):
    withdrawn = world["withdrawn_recently"]
    assert statements_destruction_date(withdrawn) == add_months(withdrawn.withdrawn_on, 1)


def test_the_admin_shows_the_day_the_details_go_where_they_are_entered(as_user, organiser, world):
    client = as_user(organiser)
    initiative = world["collecting"]
    page = client.get(reverse("admin:eci_initiative_change", args=[initiative.pk]))
    assert page.status_code == 200
    day = formats.date_format(statements_destruction_date(initiative), "DATE_FORMAT")
    assert page.content.decode().count(f"Erased after {day}, the last day") == 2

    # A new initiative has no dates yet: the general rule, as the model says it.
    admin_form = admin.site._registry[Initiative].get_form(RequestFactory().get("/"))
    blank = admin_form()
    for name in REPRESENTATIVE:
        assert str(blank.fields[name].help_text).startswith(
            "Printed on the paper forms. Erased once the last day to destroy the paper "
            "statements of support has passed"
        )


# --- The finder ------------------------------------------------------------------------


def test_the_finder_finds_the_representative_by_any_spelling_of_the_address(world):
    for spelling in [MARA, MARA.upper(), MARA_ASKS_AS, "maralindqvist@gmail.com"]:
        found = representatives(email_hash(spelling))
        assert [row["registration_number"] for row in found.rows] == ["ECI(2025)000001"]
        assert found.rows[0]["representative_name"] == "Mara Lindqvist"
        assert found.rows[0]["representative_email"] == MARA
    assert not representatives(email_hash("mara.lindqvist@example.org")).rows
    # Found by the address only: another initiative's representative is not in the rows.
    assert len(representatives(email_hash(" Representative2@Reclaim.Example ")).rows) == 1


def test_the_finder_is_found_among_the_apps_finders(world):
    assert "eci_representative" in find_all(email_hash(OLE))
    assert "eci_representative" not in find_all(email_hash("nobody@reclaim.example"))


def test_a_data_subject_request_shows_and_erases_the_representative_and_nothing_else(
    client, world, django_capture_on_commit_callbacks
):
    before = _rows()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(REQUEST_PAGE, {"email": MARA_ASKS_AS}).status_code == 200
    assert mail.outbox[-1].to == [MARA_ASKS_AS]
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    link = match.group(1)

    body = client.get(link).content.decode()
    assert "Organisers&#x27; representative of a citizens&#x27; initiative (1)" in body
    assert "Mara Lindqvist" in body
    assert "Representative 2" not in body
    assert "does not change the register" in body

    download = json.loads(client.get(link + "download.json").content)
    rows = download["records"]["eci_representative"]["records"]
    assert rows == [
        {
            "initiative": "Initiative 1",
            "registration_number": "ECI(2025)000001",
            "representative_name": "Mara Lindqvist",
            "representative_email": MARA,
            "erased_after": statements_destruction_date(world["submitted"]).isoformat(),
        }
    ]

    # Step one lists what will go and changes nothing.
    assert client.get(link + "erase/").status_code == 200
    assert _rows() == before

    done = client.post(link + "erase/")
    assert done.status_code == 200
    after = _rows()
    submitted = world["submitted"].pk
    assert after[submitted] == before[submitted] | dict.fromkeys(REPRESENTATIVE, "")
    assert {pk: row for pk, row in after.items() if pk != submitted} == {
        pk: row for pk, row in before.items() if pk != submitted
    }
    assert "Nothing is stored under this address" in client.get(link).content.decode()

    entry = AuditEntry.objects.get(action="eci.representative.erase")
    assert (entry.actor, entry.target, entry.count) == (
        "data subject",
        f"initiative:{submitted}",
        1,
    )
    assert AuditEntry.objects.get(action="privacy.erase").detail == {
        "counts": {"eci_representative": 1}
    }
    written = json.dumps([entry.actor, entry.target, entry.detail]).lower()
    assert "mara" not in written


def test_erasing_twice_changes_and_records_nothing_the_second_time(world):
    ids = [world["submitted"].pk, world["blank"].pk]
    assert erase_representative(ids, "alice") == 1
    assert erase_representative(ids, "alice") == 0
    assert AuditEntry.objects.filter(action="eci.representative.erase").count() == 1


# --- The retention policy -----------------------------------------------------------------


def test_the_policy_is_declared_and_run_by_the_retention_engine():
    assert [p.name for p in POLICIES] == ["eci_representatives_erased"]
    assert "eci_representatives_erased" in [p.name for p in policies()]


def test_the_policy_erases_only_initiatives_past_their_date_and_leaves_the_rest(world):
    (policy,) = POLICIES
    before = _rows()
    representatives_before = _representatives()
    due = {world["submitted"].pk, world["withdrawn"].pk}

    assert policy.count_due() == 2
    assert _rows() == before

    assert policy.run() == 2

    after = _rows()
    for pk, row in after.items():
        if pk in due:
            assert row == before[pk] | dict.fromkeys(REPRESENTATIVE, "")
        else:
            assert row == before[pk]
    assert (
        _representatives()[world["collecting"].pk] == representatives_before[world["collecting"].pk]
    )
    assert policy.count_due() == 0
    assert policy.run() == 0

    entries = AuditEntry.objects.filter(action="eci.representative.erase")
    assert {(e.actor, e.target, e.count) for e in entries} == {
        ("purge", f"initiative:{pk}", 1) for pk in due
    }


def test_the_details_stay_on_the_last_day_and_go_the_day_after(world):
    initiative = world["withdrawn_recently"]
    last_day = statements_destruction_date(initiative)
    assert initiative not in representatives_due(today=last_day)
    assert initiative in representatives_due(today=last_day + timedelta(days=1))


def test_a_real_purge_run_counts_the_erased_representatives(world):
    assert run_purge()["eci_representatives_erased"] == 2
    entry = AuditEntry.objects.get(action="retention.run")
    assert entry.detail["counts"]["eci_representatives_erased"] == 2
    assert Initiative.objects.get(pk=world["submitted"].pk).representative_email == ""
    assert Initiative.objects.get(pk=world["collecting"].pk).representative_email == OLE
