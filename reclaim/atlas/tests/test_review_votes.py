"""Graded verification through the review pages: reviewers vote separately and blind,
three votes corroborate when they agree, an organiser confirms from an official source or
withdraws a wrong record; every step audited, with the actor in the record's history."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from reclaim.atlas.models import (
    Agreement,
    Deployment,
    Device,
    Evidence,
    Verification,
    Vote,
)
from reclaim.atlas.services.public import public_deployments, public_devices
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.review_helpers import audited, public_url, queue_url, record_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(belgrade: Deployment, make_device: Any) -> Device:
    return make_device(belgrade)


def _vote(client: Client, record: Any, verdict: str, note: str = "") -> Any:
    return client.post(record_url(record, "vote"), {"verdict": verdict, "vote_note": note})


def _state(record: Any) -> tuple[str, str, int, int]:
    record.refresh_from_db()
    return (record.verification, record.agreement, record.votes_for, record.votes_total)


def test_three_confirming_reviewers_corroborate_unanimously(
    device: Device, reviewers: list[User], as_user: Any
) -> None:
    dana, emil, fatima = (as_user(r) for r in reviewers)
    assert _vote(dana, device, "confirm").status_code == 302
    assert _state(device) == (Verification.REPORTED, Agreement.UNANIMOUS, 1, 1)
    assert _vote(emil, device, "confirm").status_code == 302
    assert _state(device) == (Verification.REPORTED, Agreement.UNANIMOUS, 2, 2)
    assert _vote(fatima, device, "confirm", "Saw it today.").status_code == 302
    assert _state(device) == (Verification.CORROBORATED, Agreement.UNANIMOUS, 3, 3)
    assert Vote.objects.get(reviewer=reviewers[2]).note == "Saw it today."
    entries = audited("atlas.vote", f"device:{device.pk}")
    assert sorted(e.actor for e in entries) == ["dana", "emil", "fatima"]
    assert device.history.latest().history_user == reviewers[2]
    assert device.history.latest().verification == Verification.CORROBORATED


def test_two_confirms_and_a_dispute_corroborate_by_majority(
    belgrade: Deployment, reviewers: list[User], as_user: Any
) -> None:
    dana, emil, fatima = (as_user(r) for r in reviewers)
    _vote(dana, belgrade, "confirm")
    _vote(emil, belgrade, "dispute", "The vendor is wrong.")
    # Half is not a majority.
    assert _state(belgrade) == (Verification.REPORTED, Agreement.SPLIT, 1, 2)
    _vote(fatima, belgrade, "confirm")
    assert _state(belgrade) == (Verification.CORROBORATED, Agreement.MAJORITY, 2, 3)
    assert belgrade.history.latest().history_user == reviewers[2]


def test_one_confirm_and_two_disputes_are_split_and_stay_reported(
    device: Device, reviewers: list[User], as_user: Any
) -> None:
    dana, emil, fatima = (as_user(r) for r in reviewers)
    _vote(dana, device, "confirm")
    _vote(emil, device, "dispute")
    _vote(fatima, device, "dispute")
    assert _state(device) == (Verification.REPORTED, Agreement.SPLIT, 1, 3)


def test_the_number_of_reviewers_needed_is_a_setting(
    device: Device, reviewers: list[User], as_user: Any, settings: Any
) -> None:
    settings.RECLAIM = {**settings.RECLAIM, "ATLAS_REVIEWERS_TO_CORROBORATE": 2}
    _vote(as_user(reviewers[0]), device, "confirm")
    _vote(as_user(reviewers[1]), device, "confirm")
    assert _state(device)[0] == Verification.CORROBORATED


def test_a_reviewer_votes_once(device: Device, reviewers: list[User], as_user: Any) -> None:
    dana = as_user(reviewers[0])
    assert _vote(dana, device, "confirm").status_code == 302
    response = _vote(dana, device, "dispute")
    assert response.status_code == 409
    assert "You have voted on this record already." in response.content.decode()
    assert _state(device) == (Verification.REPORTED, Agreement.UNANIMOUS, 1, 1)
    assert Vote.objects.get().verdict == "confirm"
    assert len(audited("atlas.vote")) == 1


def test_a_reviewer_does_not_see_the_others_votes_before_voting(
    device: Device, reviewers: list[User], as_user: Any
) -> None:
    dana, emil = as_user(reviewers[0]), as_user(reviewers[1])
    _vote(dana, device, "dispute", "SECRET NOTE OF DANA")
    page = emil.get(record_url(device)).content.decode()
    assert "SECRET NOTE OF DANA" not in page
    assert "Split" not in page
    assert "of 1 vote" not in page
    assert record_url(device, "vote") in page
    # Still in emil's queue, no longer in dana's.
    assert record_url(device) in emil.get(queue_url()).content.decode()
    assert record_url(device) not in dana.get(queue_url()).content.decode()
    # Once emil voted, he sees the tally, and still not dana's note.
    _vote(emil, device, "confirm")
    page = emil.get(record_url(device)).content.decode()
    assert "1 of 2 votes confirm it (Split)." in page
    assert "SECRET NOTE OF DANA" not in page
    assert record_url(device, "vote") not in page


def test_a_bad_verdict_is_refused(device: Device, reviewers: list[User], as_user: Any) -> None:
    response = _vote(as_user(reviewers[0]), device, "maybe")
    assert response.status_code == 400
    assert not Vote.objects.exists()
    assert _state(device) == (Verification.REPORTED, Agreement.NONE, 0, 0)


def test_official_confirmation_needs_official_evidence(
    device: Device, organiser: User, as_user: Any
) -> None:
    client = as_user(organiser)
    press = Evidence.objects.create(
        device=device, claim="existence", kind=Evidence.Kind.PRESS, title="A newspaper"
    )
    response = client.post(record_url(device, "confirm"), {"evidence": str(press.pk)})
    assert response.status_code == 400
    assert "Only an official source confirms a record" in response.content.decode()
    assert _state(device)[0] == Verification.REPORTED
    # Evidence of another record does not count either.
    other = Device.objects.create(
        latitude=1, longitude=1, first_seen=device.first_seen, last_seen=device.last_seen
    )
    foreign = Evidence.objects.create(
        device=other, claim="existence", kind=Evidence.Kind.OFFICIAL, title="Elsewhere"
    )
    response = client.post(record_url(device, "confirm"), {"evidence": str(foreign.pk)})
    assert response.status_code == 400
    assert _state(device)[0] == Verification.REPORTED
    assert not audited("atlas.confirm_official")

    answer = Evidence.objects.create(
        device=device,
        claim="existence",
        kind=Evidence.Kind.FOI_ANSWER,
        title="The ministry's answer",
    )
    response = client.post(record_url(device, "confirm"), {"evidence": str(answer.pk)})
    assert response.status_code == 302
    assert _state(device)[0] == Verification.CONFIRMED
    entry = audited("atlas.confirm_official", f"device:{device.pk}")[0]
    assert (entry.actor, entry.detail["evidence"]) == ("alice", answer.pk)
    assert device.history.latest().history_user == organiser
    # Once is enough.
    response = client.post(record_url(device, "confirm"), {"evidence": str(answer.pk)})
    assert response.status_code == 409


def test_votes_never_lower_an_official_confirmation(
    belgrade: Deployment, organiser: User, reviewers: list[User], as_user: Any
) -> None:
    statement = Evidence.objects.create(
        deployment=belgrade, claim="existence", kind=Evidence.Kind.OFFICIAL, title="Minister"
    )
    assert (
        as_user(organiser)
        .post(record_url(belgrade, "confirm"), {"evidence": str(statement.pk)})
        .status_code
        == 302
    )
    for reviewer in reviewers:
        _vote(as_user(reviewer), belgrade, "dispute")
    assert _state(belgrade) == (Verification.CONFIRMED, Agreement.SPLIT, 0, 3)


@pytest.mark.parametrize("which", ["device", "deployment"])
def test_withdrawing_hides_a_record_and_it_can_be_published_again(
    which: str, device: Device, belgrade: Deployment, organiser: User, as_user: Any
) -> None:
    record: Any = device if which == "device" else belgrade
    client = as_user(organiser)
    assert Client().get(public_url(record)).status_code == 200
    # A reason is needed.
    response = client.post(record_url(record, "withdraw"), {"withdraw_note": " "})
    assert response.status_code == 400
    assert Client().get(public_url(record)).status_code == 200

    response = client.post(record_url(record, "withdraw"), {"withdraw_note": "Not a camera."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert not record.published
    assert Client().get(public_url(record)).status_code == 404
    public = public_devices() if which == "device" else public_deployments()
    assert not public.filter(pk=record.pk).exists()
    entry = audited("atlas.withdraw", f"{which}:{record.pk}")[0]
    assert (entry.actor, entry.detail["note"]) == ("alice", "Not a camera.")
    assert record.history.latest().history_user == organiser
    assert record.history.latest().published is False
    # Twice is refused; a withdrawn record takes no votes.
    response = client.post(record_url(record, "withdraw"), {"withdraw_note": "Again."})
    assert response.status_code == 409
    assert _vote(client, record, "confirm").status_code == 400

    response = client.post(record_url(record, "republish"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.published
    assert Client().get(public_url(record)).status_code == 200
    assert audited("atlas.republish", f"{which}:{record.pk}")[0].actor == "alice"
    assert client.post(record_url(record, "republish")).status_code == 409


def test_a_withdrawn_record_can_be_reverted_from_its_history(
    device: Device, organiser: User, as_user: Any
) -> None:
    as_user(organiser).post(record_url(device, "withdraw"), {"withdraw_note": "Oops."})
    before = device.history.order_by("history_date")[0]
    assert before.published is True
    restored = before.instance
    assert restored.published


def test_unknown_records_are_not_found(organiser: User, as_user: Any) -> None:
    client = as_user(organiser)
    assert client.get("/en/atlas/staff/review/device/999999/").status_code == 404
    assert client.get("/en/atlas/staff/review/camera/1/").status_code == 404
    response = client.post("/en/atlas/staff/review/deployment/999999/vote/", {"verdict": "confirm"})
    assert response.status_code == 404
