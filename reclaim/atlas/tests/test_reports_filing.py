"""Filing an anonymous report through the form, with JavaScript off: a device, a
deployment, a re-check; what is refused and changes nothing; the guard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from reclaim.atlas.models import Photo, Report
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures_reports import URL, form, jpeg_with_metadata, post, upload
from reclaim.audit.models import AuditEntry
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_the_form_works_without_an_account_and_says_nothing_is_public_before_review(
    client: Client,
):
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Report surveillance" in body
    assert "No account and no email address are needed." in body
    assert "Nothing you send is published until a reviewer has checked it." in body
    # The typed fields are there for a browser without JavaScript; the map stays hidden.
    for name in ("latitude", "longitude", "place", "city", "seen_on", "photos", "contact"):
        assert f'name="{name}"' in body, name
    assert 'enctype="multipart/form-data"' in body
    assert 'id="report-map-box" hidden' in body
    assert "atlas/report-map.js" in body and "leaflet/leaflet.js" in body
    assert "/shield/challenge/atlas.report/report/" in body
    # No cookie for a visitor (no CSRF token on a public form).
    assert not page.cookies


def test_a_device_report_with_typed_coordinates_waits_for_review(client: Client):
    response = post(client, form())
    assert response.status_code == 302
    assert response["Location"] == "/en/atlas/report/sent/"
    report = Report.objects.get()
    assert report.kind == Report.Kind.DEVICE
    assert report.state == Report.State.PENDING
    assert (report.latitude, report.longitude) == (44.8029, 20.46745)
    assert report.place == "Slavija Square, north-east corner"
    assert report.city == "Belgrade"
    assert report.seen_on == timezone.localdate() - timedelta(days=1)
    assert report.language == "en"
    assert report.contact is None and report.contact_hash == ""
    assert not OutgoingMail.objects.exists()
    entry = AuditEntry.objects.get(action="atlas.report_file")
    assert entry.actor == "visitor" and entry.target == f"report:{report.pk}"

    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you: your report waits for review" in thanks
    # Nothing of it is public: no device or deployment was made.
    assert not report.device and not report.deployment
    from reclaim.atlas.models import Deployment, Device

    assert not Device.objects.exists() and not Deployment.objects.exists()


def test_a_deployment_report_with_only_a_description_of_the_place(client: Client):
    response = post(
        client,
        form(
            kind="deployment",
            latitude="",
            longitude="",
            place="The Maxi supermarket in Bulevar oslobođenja",
            city="Novi Sad",
            description="A sign at the door says faces are compared with a list.",
        ),
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.kind == Report.Kind.DEPLOYMENT
    assert report.latitude is None and report.longitude is None
    assert report.place == "The Maxi supermarket in Bulevar oslobođenja"


def test_coordinates_with_a_decimal_comma_are_read(client: Client):
    assert post(client, form(latitude="44,8029", longitude="20,46745")).status_code == 302
    report = Report.objects.get()
    assert (report.latitude, report.longitude) == (44.8029, 20.46745)


def test_a_recheck_of_a_public_device_records_the_answer_and_the_day(
    client: Client, make_device: Any
):
    device = make_device(place="Republic Square")
    page = client.get(f"{URL}?device={device.pk}")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Is this camera still there?" in body
    assert "It is still there" in body and "It is gone" in body and "It has changed" in body
    assert 'name="latitude"' not in body  # the device has its place

    seen = timezone.localdate().isoformat()
    response = post(
        client,
        {"found": "gone", "seen_on": seen, "description": "Only the bracket is left."},
        url=f"{URL}?device={device.pk}",
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.kind == Report.Kind.RECHECK
    assert report.device == device
    assert report.found == Report.Found.GONE
    assert report.seen_on == timezone.localdate()
    assert report.description == "Only the bracket is left."
    # The device itself is unchanged until a reviewer accepts the re-check.
    device.refresh_from_db()
    assert device.removed_on is None


def test_a_recheck_needs_an_answer(client: Client, make_device: Any):
    device = make_device()
    response = post(
        client, {"seen_on": timezone.localdate().isoformat()}, url=f"{URL}?device={device.pk}"
    )
    assert response.status_code == 400
    assert "Is it still there?" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("value", ["abc", "999999", "1" * 20])
def test_a_recheck_of_no_public_device_is_not_found(client: Client, value: str):
    assert client.get(f"{URL}?device={value}").status_code == 404
    response = post(client, {"found": "gone"}, url=f"{URL}?device={value}")
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_an_unpublished_device_cannot_be_rechecked(client: Client, make_device: Any):
    device = make_device(published=False)
    assert client.get(f"{URL}?device={device.pk}").status_code == 404


BAD_INPUT = [
    ({"latitude": "91", "longitude": "20"}, "The latitude is a number from −90 to 90"),
    ({"latitude": "-90.5", "longitude": "20"}, "The latitude is a number from −90 to 90"),
    ({"latitude": "44", "longitude": "181"}, "The longitude is a number from −180 to 180"),
    ({"latitude": "nan", "longitude": "20"}, "The latitude is a number from −90 to 90"),
    ({"latitude": "inf", "longitude": "20"}, "The latitude is a number from −90 to 90"),
    ({"latitude": "north", "longitude": "20"}, "The latitude is a number from −90 to 90"),
    ({"latitude": "44.8", "longitude": ""}, "Please give both the latitude and the longitude"),
    ({"latitude": "", "longitude": "20.4"}, "Please give both the latitude and the longitude"),
    ({"latitude": "", "longitude": "", "place": ""}, "Please say where it is"),
    ({"seen_on": "2999-01-01"}, "The date cannot be in the future."),
    ({"seen_on": "tomorrow"}, "Enter a valid date."),
    ({"seen_on": ""}, "This field is required."),
    ({"description": ""}, "This field is required."),
    ({"description": "   "}, "This field is required."),
    ({"description": "x" * 4001}, "Ensure this value has at most 4000 characters"),
    ({"place": "y" * 301}, "Ensure this value has at most 300 characters"),
    ({"description": "Camera \u202eevil"}, "invisible control characters"),
    ({"description": "Camera \x00 here"}, "Null characters are not allowed."),
    ({"place": "Square \u2066x"}, "invisible control characters"),
    ({"city": "Bel\ngrade"}, "invisible control characters"),
    ({"kind": "recheck"}, "Select a valid choice."),
    ({"contact": "not an address"}, "Enter a valid email address"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_clear_error_and_changes_nothing(
    client: Client, fields: dict[str, str], message: str
):
    response = post(client, form(**fields))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Please correct the following:" in body
    assert "<title>Error:" in body
    assert not Report.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert not AuditEntry.objects.filter(action="atlas.report_file").exists()


def test_a_date_in_the_future_is_refused_but_today_is_fine(client: Client):
    later = timezone.localdate() + timedelta(days=2)
    assert post(client, form(seen_on=later.isoformat())).status_code == 400
    assert post(client, form(seen_on=timezone.localdate().isoformat())).status_code == 302
    assert Report.objects.count() == 1


def test_the_form_keeps_what_was_typed_after_an_error(client: Client):
    body = post(client, form(latitude="95")).content.decode()
    assert 'value="95"' in body
    assert "Slavija Square, north-east corner" in body


def test_a_form_sent_from_another_site_is_refused(client: Client):
    response = client.post(URL, form(), HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_guard_refuses_too_many_reports_and_stores_nothing(client: Client, settings: Any):
    settings.RECLAIM = settings.RECLAIM | {
        "THROTTLES_BY_SCOPE": {"atlas.report": {"source_burst": (1, 60)}}
    }
    assert post(client, form()).status_code == 302
    response = post(
        client,
        form(description="Another camera.", contact="mara@example.org")
        | {"photos": upload(jpeg_with_metadata())},
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "Too many reports from your network right now." in body
    assert "Your report has not been saved." in body
    assert Report.objects.count() == 1
    assert not Photo.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_the_challenge_endpoint_serves_the_report_scope(client: Client):
    response = client.get("/shield/challenge/atlas.report/report/")
    assert response.status_code in (200, 204)


def test_the_form_speaks_the_visitor_s_language(client: Client):
    assert post(client, form(), url="/de/atlas/report/").status_code == 302
    assert Report.objects.get().language == "de"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_a_recheck_of_a_device_numbered_over_a_thousand_is_filed(
    client: Client, make_device: Any, language: str
):
    # USE_THOUSAND_SEPARATOR would write 13248 as "13,248" or "13.248" in the form's
    # address, which then named no device.
    device = make_device(pk=13248, last_seen=timezone.localdate() - timedelta(days=500))
    page = client.get(f"/{language}/atlas/report/?device=13248").content.decode()
    assert f'action="/{language}/atlas/report/?device=13248"' in page
    response = post(
        client,
        {"kind": "recheck", "found": "still_there", "seen_on": timezone.localdate().isoformat()},
        url=f"/{language}/atlas/report/?device=13248",
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Report.objects.get().device == device
