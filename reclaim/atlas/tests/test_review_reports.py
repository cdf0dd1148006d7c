"""Deciding reports through the review pages: accepting each kind publishes or updates a
record (audited, with the reviewer in its history), rejecting publishes nothing, and a
report is decided once."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from reclaim.atlas.models import (
    Agreement,
    Deployment,
    Device,
    Photo,
    Report,
    Verification,
    Vote,
)
from reclaim.atlas.services.public import public_devices
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures import stale_date
from reclaim.atlas.tests.review_helpers import (
    add_photo,
    audited,
    days_ago,
    make_report,
    public_url,
    queue_url,
    record_url,
    report_url,
)

pytestmark = pytest.mark.django_db

DEVICE_FORM = {
    "action": "accept",
    "latitude": "44.81765",
    "longitude": "20.45701",
    "city": "Belgrade",
    "place": "Knez Mihailova 12",
    "watches": "square",
    "mount": "wall",
    "camera_type": "dome",
    "direction": "90",
    "model": "Huawei X1",
    "note": "Checked on the street view of the report's photo.",
}


@pytest.fixture
def dana(make_reviewer: Any) -> User:
    return make_reviewer("dana")


@pytest.fixture
def client(dana: User, as_user: Any) -> Client:
    return as_user(dana)


def test_the_queue_shows_pending_reports_with_their_photos(client: Client) -> None:
    waiting = make_report(description="Two cameras above the bakery.")
    photo = add_photo(waiting)
    decided = make_report(description="Decided long ago.", state=Report.State.REJECTED)
    page = client.get(queue_url()).content.decode()
    assert "Two cameras above the bakery." in page
    assert report_url(waiting) in page
    assert "Decided long ago." not in page
    assert report_url(decided) not in page
    photo_url = reverse("atlas:report_photo", args=[photo.pk, photo.version])
    assert photo_url in page
    # The reviewer can open it; a visitor cannot.
    assert client.get(photo_url).status_code == 200
    assert Client().get(photo_url).status_code in (302, 403, 404)


def test_accepting_a_device_report_publishes_the_corrected_device(
    client: Client, dana: User, belgrade: Deployment
) -> None:
    report = make_report(latitude=44.9, longitude=20.9, seen_on=days_ago(5))
    photo = add_photo(report)
    page = client.get(report_url(report)).content.decode()
    # The form starts from what the report says.
    assert 'value="44.9"' in page
    response = client.post(report_url(report), {**DEVICE_FORM, "deployment": str(belgrade.pk)})
    assert response.status_code == 302
    device = Device.objects.get()
    assert response["Location"] == record_url(device)
    # The reviewer's corrections, not the reporter's coordinates.
    assert (device.latitude, device.longitude) == (44.81765, 20.45701)
    assert device.deployment == belgrade
    assert device.watches == "square"
    assert device.mount == "wall"
    assert device.direction == 90
    assert device.model == "Huawei X1"
    assert device.first_seen == device.last_seen == days_ago(5)
    assert device.published
    assert device.verification == Verification.REPORTED
    # The acceptance is the reviewer's confirm vote.
    assert (device.votes_for, device.votes_total) == (1, 1)
    assert device.agreement == Agreement.UNANIMOUS
    vote = Vote.objects.get()
    assert (vote.device, vote.reviewer, vote.verdict) == (device, dana, "confirm")
    # The photo moved to the device.
    photo.refresh_from_db()
    assert photo.device == device
    assert photo.report is None
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
    assert report.decided_by == dana
    assert report.device == device
    entry = audited("atlas.report_accept", f"report:{report.pk}")[0]
    assert entry.actor == "dana"
    assert entry.detail["record"] == f"device:{device.pk}"
    assert device.history.earliest().history_user == dana
    assert device.history.latest().history_user == dana
    # Public now.
    assert Client().get(public_url(device)).status_code == 200


def test_a_device_cannot_be_accepted_without_coordinates(client: Client) -> None:
    report = make_report(latitude=None, longitude=None, place="Near the station")
    form = {k: v for k, v in DEVICE_FORM.items() if k not in ("latitude", "longitude")}
    response = client.post(report_url(report), form)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Device.objects.exists()
    report.refresh_from_db()
    assert report.state == Report.State.PENDING


def test_bad_coordinates_are_refused_with_nothing_changed(client: Client) -> None:
    report = make_report()
    response = client.post(report_url(report), {**DEVICE_FORM, "latitude": "123"})
    assert response.status_code == 400
    assert "less than or equal to 90" in response.content.decode()
    response = client.post(report_url(report), {**DEVICE_FORM, "direction": "400"})
    assert response.status_code == 400
    assert not Device.objects.exists()
    assert Report.objects.get().state == Report.State.PENDING


def test_accepting_a_deployment_report_publishes_a_new_deployment(
    client: Client, dana: User
) -> None:
    report = make_report(Report.Kind.DEPLOYMENT, description="Face recognition at the gates.")
    response = client.post(
        report_url(report),
        {
            "action": "accept",
            "name": "Stadium gates of Novi Sad",
            "country": "RS",
            "city": "Novi Sad",
            "operator": "City of Novi Sad",
            "status": "pilot",
            "description": "Face recognition at the gates.",
        },
    )
    assert response.status_code == 302
    deployment = Deployment.objects.get()
    assert deployment.name == "Stadium gates of Novi Sad"
    assert deployment.slug == "stadium-gates-of-novi-sad"
    assert deployment.published
    assert deployment.status == "pilot"
    assert (deployment.votes_for, deployment.votes_total) == (1, 1)
    assert Vote.objects.get().deployment == deployment
    report.refresh_from_db()
    assert (report.state, report.deployment) == (Report.State.ACCEPTED, deployment)
    assert audited("atlas.report_accept", f"report:{report.pk}")
    assert deployment.history.latest().history_user == dana
    assert Client().get(public_url(deployment)).status_code == 200


def test_a_deployment_report_can_be_added_to_an_existing_deployment(
    client: Client, belgrade: Deployment
) -> None:
    report = make_report(Report.Kind.DEPLOYMENT)
    response = client.post(report_url(report), {"action": "accept", "existing": str(belgrade.pk)})
    assert response.status_code == 302
    assert Deployment.objects.count() == 1
    report.refresh_from_db()
    assert (report.state, report.deployment) == (Report.State.ACCEPTED, belgrade)
    entry = audited("atlas.report_accept", f"report:{report.pk}")[0]
    assert entry.detail["attached"] is True


def test_a_new_deployment_needs_a_name_and_a_country(client: Client) -> None:
    report = make_report(Report.Kind.DEPLOYMENT)
    response = client.post(report_url(report), {"action": "accept", "city": "Niš"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the new deployment a name." in page
    assert "Give the new deployment&#x27;s country." in page
    assert not Deployment.objects.exists()


def test_a_recheck_still_there_moves_last_seen_forward(
    client: Client, dana: User, belgrade: Deployment, make_device: Any
) -> None:
    device = make_device(belgrade, last_seen=stale_date())
    report = make_report(Report.Kind.RECHECK, device=device, found="still_there")
    add_photo(report)
    response = client.post(
        report_url(report),
        {
            "action": "accept",
            "found": "still_there",
            "watches": device.watches,
            "mount": device.mount,
            "camera_type": device.camera_type,
        },
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.last_seen == report.seen_on
    assert device.removed_on is None
    assert device.photos.count() == 1
    assert device.history.latest().history_user == dana
    entry = audited("atlas.report_accept", f"report:{report.pk}")[0]
    assert entry.detail["found"] == "still_there"


def test_an_old_recheck_never_moves_last_seen_backwards(
    client: Client, belgrade: Deployment, make_device: Any
) -> None:
    device = make_device(belgrade, last_seen=days_ago(2))
    report = make_report(
        Report.Kind.RECHECK, device=device, found="still_there", seen_on=days_ago(40)
    )
    response = client.post(
        report_url(report),
        {
            "action": "accept",
            "found": "still_there",
            "watches": "street",
            "mount": "unknown",
            "camera_type": "unknown",
        },
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.last_seen == days_ago(2)


def test_a_recheck_that_found_it_gone_takes_it_off_the_map(
    client: Client, belgrade: Deployment, make_device: Any
) -> None:
    device = make_device(belgrade)
    assert public_devices().filter(pk=device.pk).exists()
    report = make_report(Report.Kind.RECHECK, device=device, found="gone")
    response = client.post(
        report_url(report),
        {
            "action": "accept",
            "found": "gone",
            "watches": "street",
            "mount": "unknown",
            "camera_type": "unknown",
        },
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.removed_on == report.seen_on
    # Kept on record, off every public list.
    assert Device.objects.filter(pk=device.pk).exists()
    assert not public_devices().filter(pk=device.pk).exists()


def test_a_recheck_that_found_it_changed_updates_it_and_keeps_the_note(
    client: Client, belgrade: Deployment, make_device: Any
) -> None:
    device = make_device(belgrade, last_seen=stale_date(), model="")
    report = make_report(Report.Kind.RECHECK, device=device, found="changed")
    form = {
        "action": "accept",
        "found": "changed",
        "watches": "street",
        "mount": "pole",
        "camera_type": "panning",
        "model": "Hikvision DS-2DE",
    }
    # Changed needs a word on what changed.
    assert client.post(report_url(report), form).status_code == 400
    response = client.post(report_url(report), {**form, "note": "A new turning camera."})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.last_seen == report.seen_on
    assert (device.camera_type, device.model) == ("panning", "Hikvision DS-2DE")
    report.refresh_from_db()
    assert report.decision_note == "A new turning camera."
    entry = audited("atlas.report_accept", f"report:{report.pk}")[0]
    assert entry.detail["note"] == "A new turning camera."


def test_rejecting_a_report_publishes_nothing(client: Client, dana: User) -> None:
    report = make_report()
    response = client.post(report_url(report), {"action": "reject", "reject_note": ""})
    assert response.status_code == 400
    response = client.post(
        report_url(report), {"action": "reject", "reject_note": "A street lamp."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.REJECTED
    assert report.decision_note == "A street lamp."
    assert report.decided_by == dana
    assert not Device.objects.exists()
    entry = audited("atlas.report_reject", f"report:{report.pk}")[0]
    assert entry.actor == "dana"


@pytest.mark.parametrize("first", ["accept", "reject"])
def test_a_report_is_decided_once(
    first: str, client: Client, make_reviewer: Any, as_user: Any
) -> None:
    report = make_report()
    forms = {"accept": DEVICE_FORM, "reject": {"action": "reject", "reject_note": "No."}}
    assert client.post(report_url(report), forms[first]).status_code == 302
    other = as_user(make_reviewer("emil"))
    for second in ("accept", "reject"):
        response = other.post(report_url(report), forms[second])
        assert response.status_code == 409
        assert "This report was decided already." in response.content.decode()
    assert Device.objects.count() == (1 if first == "accept" else 0)
    assert len(audited(f"atlas.report_{first}")) == 1
    assert Report.objects.get().decided_by.username == "dana"


def test_a_decided_report_s_page_offers_no_decision(client: Client) -> None:
    report = make_report(state=Report.State.ACCEPTED)
    page = client.get(report_url(report)).content.decode()
    assert "Accept the report" not in page
    assert "Reject the report" not in page


def test_an_unknown_action_is_refused(client: Client) -> None:
    report = make_report()
    assert client.post(report_url(report), {"action": "publish"}).status_code == 400
    assert Report.objects.get().state == Report.State.PENDING


def test_an_unknown_report_is_not_found(client: Client) -> None:
    assert client.get("/en/atlas/staff/review/reports/999999/").status_code == 404
    assert Photo.objects.count() == 0
