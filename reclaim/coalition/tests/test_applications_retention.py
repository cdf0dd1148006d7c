"""Applications' personal data: the retention policies, the privacy finder, the demo."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import Application
from reclaim.coalition.tests.fixtures_applications import (
    make_application,
    principles_fixture,  # noqa: F401
)
from reclaim.privacy.purge import run_purge

pytestmark = pytest.mark.django_db
State = Application.State
DATA_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/privacy/data/r/[A-Za-z0-9_\-]+/)")


def _ago(days: int, hours: int = 0) -> Any:
    return timezone.now() - timedelta(days=days, hours=hours)


def test_contact_data_of_decided_applications_goes_after_the_retention_period_and_nothing_else(
    principles: Any, settings: Any
) -> None:
    days = settings.RECLAIM["COALITION_APPLICATION_RETENTION_DAYS"]
    old = make_application(principles, State.DECLINED, email="old@one.example.org", name="Old")
    recent = make_application(
        principles, State.DECLINED, email="new@two.example.org", name="Recent"
    )
    waiting = make_application(
        principles, State.UNDER_REVIEW, email="wait@three.example.org", name="Waiting"
    )
    Application.objects.filter(pk=old.pk).update(decided_at=_ago(days, 1))
    Application.objects.filter(pk=recent.pk).update(decided_at=_ago(days - 1))
    Application.objects.filter(pk=waiting.pk).update(created_at=_ago(days * 3))
    old.notes.create(text="kept")

    counts = run_purge()
    assert counts["coalition_application_contacts_erased"] == 1

    old.refresh_from_db()
    assert old.contact_name == old.contact_email == old.email_hash == old.token_hash == ""
    assert old.personal_data_erased_at is not None
    # The application, about an organisation, stays, and so do the organisers' notes.
    assert old.name == "Old" and old.state == State.DECLINED
    assert old.notes.count() == 1
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert kept.contact_email and kept.personal_data_erased_at is None
    assert AuditEntry.objects.filter(action="coalition.application_purge", count=1).exists()
    # A second run has nothing left to do.
    assert run_purge()["coalition_application_contacts_erased"] == 0


def test_unconfirmed_applications_go_after_the_confirmation_window(
    principles: Any, settings: Any
) -> None:
    days = settings.RECLAIM["CONFIRMATION_DAYS"]
    stale = make_application(principles, State.UNCONFIRMED, email="a@one.example.org")
    fresh = make_application(principles, State.UNCONFIRMED, email="b@two.example.org")
    confirmed = make_application(principles, State.SUBMITTED, email="c@three.example.org")
    Application.objects.filter(pk__in=[stale.pk, confirmed.pk]).update(created_at=_ago(days, 1))

    counts = run_purge()

    assert counts["coalition_applications_unconfirmed_deleted"] == 1
    assert set(Application.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}
    assert AuditEntry.objects.filter(
        action="coalition.application_purge_unconfirmed", count=1
    ).exists()


def _ask(client: Client, address: str, capture: Any) -> str:
    with capture(execute=True):
        client.post("/en/privacy/data/", {"email": address})
    match = DATA_LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_a_data_request_finds_shows_and_erases_the_applications_of_one_address(
    client: Client, principles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # One address has one application waiting at a time: the first one was declined.
    submitted = make_application(principles, State.DECLINED, email="anna@watch.example.org")
    unconfirmed = make_application(
        principles, State.UNCONFIRMED, email="anna@watch.example.org", name="Second Group"
    )
    other = make_application(principles, State.SUBMITTED, email="someone@else.example.org")
    mail.outbox.clear()

    link = _ask(client, "Anna@watch.example.org", django_capture_on_commit_callbacks)
    body = client.get(link).content.decode()
    assert "Applications to join the coalition" in body
    assert "Surveillance Watch" in body and "Anna Berger" in body
    data = json.loads(client.get(link + "download.json").content)
    rows = data["records"]["coalition_applications"]["records"]
    assert {r["contact_email"] for r in rows} == {"anna@watch.example.org"}
    assert len(rows) == 2
    assert "someone@else" not in json.dumps(data)

    client.post(link + "erase/")

    # The unconfirmed one goes; the declined one stays without its contact person.
    assert not Application.objects.filter(pk=unconfirmed.pk).exists()
    submitted.refresh_from_db()
    assert submitted.contact_email == "" and submitted.contact_name == ""
    assert submitted.personal_data_erased_at is not None
    other.refresh_from_db()
    assert other.contact_email == "someone@else.example.org"


def test_the_demo_adds_principles_and_applications_in_several_states_once(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from reclaim.coalition.demo_applications import applications
    from reclaim.demo.steps import DemoContext

    context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0)
    report = applications(context)
    assert len(report.lines) == 4
    states = set(Application.objects.values_list("state", flat=True))
    assert states == {State.SUBMITTED, State.UNDER_REVIEW, State.MORE_INFORMATION}
    assert Application.objects.get(state=State.UNDER_REVIEW).notes.count() == 1
    applications(context)
    assert Application.objects.count() == 3
