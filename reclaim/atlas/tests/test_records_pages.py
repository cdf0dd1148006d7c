"""The atlas's public record pages, through HTTP: the list and its filters, a deployment's
and a device's page with the evidence for each claim, the re-check list, and the photos
and evidence files served from our origin."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image

from reclaim.atlas.models import (
    Agreement,
    Capability,
    Claim,
    Deployment,
    Device,
    Evidence,
    FoiRequest,
    Photo,
    Report,
    Verification,
)
from reclaim.atlas.services import evidence as evidence_service
from reclaim.atlas.services.public import needs_recheck, public_devices, recheck_cutoff
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures import stale_date

LIST = "/en/atlas/list/"
RECHECK = "/en/atlas/recheck/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 31, 140)).save(out, format="PNG")
    return out.getvalue()


def make_photo(device: Device | None, report: Report | None = None) -> Photo:
    return Photo.objects.create(
        device=device,
        report=report,
        content=png_bytes(),
        content_type="image/png",
        width=40,
        height=30,
        version="abc123",
        alt="A dome camera on a pole",
    )


def text(response: Any) -> str:
    return str(response.content.decode())


# --- The list -------------------------------------------------------------------------


def test_the_list_shows_public_deployments_and_not_unpublished_ones(client, make_deployment):
    make_deployment(name="Safe City Belgrade")
    make_deployment(name="Hidden pilot", published=False)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Safe City Belgrade" in text(response)
    assert "Hidden pilot" not in text(response)
    assert "<form" in text(response) and 'method="get"' in text(response)


def test_the_list_of_devices_leaves_out_unpublished_and_gone_ones(client, belgrade, make_device):
    make_device(belgrade, place="Republic Square")
    make_device(belgrade, place="Secret corner", published=False)
    make_device(belgrade, place="Torn down", removed_on=timezone.localdate())
    response = client.get(LIST, {"kind": "devices"})
    assert response.status_code == 200
    body = text(response)
    assert "Republic Square" in body
    assert "Secret corner" not in body
    assert "Torn down" not in body
    assert "1 device" in body


def test_the_list_filters_by_city_capability_status_and_verification(client, make_deployment):
    make_deployment(name="Belgrade faces", city="Belgrade", capabilities=[Capability.Kind.FACE])
    make_deployment(
        name="Nis plates",
        city="Nis",
        capabilities=[Capability.Kind.PLATE],
        status=Deployment.Status.PILOT,
        verification=Verification.CORROBORATED,
    )
    by_city = text(client.get(LIST, {"city": "Nis"}))
    assert "Nis plates" in by_city and "Belgrade faces" not in by_city
    by_capability = text(client.get(LIST, {"capability": "face"}))
    assert "Belgrade faces" in by_capability and "Nis plates" not in by_capability
    by_status = text(client.get(LIST, {"status": "pilot"}))
    assert "Nis plates" in by_status and "Belgrade faces" not in by_status
    by_grade = text(client.get(LIST, {"verification": "corroborated"}))
    assert "Nis plates" in by_grade and "Belgrade faces" not in by_grade


def test_the_device_list_filters_by_its_deployments_capability_and_status(
    client, make_deployment, make_device
):
    faces = make_deployment(name="Faces", capabilities=[Capability.Kind.FACE])
    plates = make_deployment(
        name="Plates", capabilities=[Capability.Kind.PLATE], status=Deployment.Status.ENDED
    )
    make_device(faces, place="Face corner")
    make_device(plates, place="Plate corner", city="Novi Sad")
    body = text(client.get(LIST, {"kind": "devices", "capability": "plate"}))
    assert "Plate corner" in body and "Face corner" not in body
    body = text(client.get(LIST, {"kind": "devices", "status": "active"}))
    assert "Face corner" in body and "Plate corner" not in body
    body = text(client.get(LIST, {"kind": "devices", "city": "Novi Sad"}))
    assert "Plate corner" in body and "Face corner" not in body
    body = text(client.get(LIST, {"kind": "devices", "deployment": faces.slug}))
    assert "Face corner" in body and "Plate corner" not in body


@pytest.mark.parametrize(
    "hostile",
    [
        {"city": "Atlantis"},
        {"city": "' OR 1=1 --"},
        {"city": "x" * 5000},
        {"city": "Bel\x00grade"},
        {"capability": "telepathy"},
        {"status": "<script>alert(1)</script>"},
        {"verification": "certain"},
        {"kind": "everything"},
        {"deployment": "../../etc/passwd"},
        {"page": "-1"},
        {"page": "99999"},
        {"page": "abc"},
    ],
)
def test_unknown_filter_values_are_ignored_with_a_message(client, make_deployment, hostile):
    make_deployment(name="Safe City Belgrade")
    response = client.get(LIST, hostile)
    assert response.status_code == 200
    body = text(response)
    assert "Safe City Belgrade" in body
    assert "<script>alert(1)</script>" not in body
    if "page" not in hostile:
        assert "were left out" in body


def test_a_known_filter_still_holds_next_to_an_unknown_one(client, make_deployment):
    make_deployment(name="Belgrade faces", city="Belgrade")
    make_deployment(name="Nis plates", city="Nis")
    body = text(client.get(LIST, {"city": "Nis", "capability": "telepathy"}))
    assert "Nis plates" in body and "Belgrade faces" not in body
    assert "were left out" in body


def test_the_list_is_paginated_and_keeps_its_filters(client, belgrade, make_device):
    for n in range(30):
        make_device(belgrade, place=f"Corner {n:02d}")
    first = text(client.get(LIST, {"kind": "devices", "city": "Belgrade"}))
    assert "Page 1 of 2" in first
    assert "kind=devices&amp;city=Belgrade&amp;page=2" in first
    second = text(client.get(LIST, {"kind": "devices", "city": "Belgrade", "page": "2"}))
    assert "Page 2 of 2" in second
    assert "Corner 29" in second and "Corner 00" not in second


def test_the_list_shows_the_verification_badge_without_reviewer_names(
    client, make_deployment, reviewers
):
    make_deployment(
        name="Checked",
        verification=Verification.CORROBORATED,
        agreement=Agreement.MAJORITY,
        votes_for=2,
        votes_total=3,
    )
    body = text(client.get(LIST))
    assert "Corroborated" in body
    assert "Majority" in body
    assert "2 of 3 reviewers confirmed" in body
    for reviewer in reviewers:
        assert reviewer.username not in body


# --- A deployment -----------------------------------------------------------------------


def test_a_deployment_page_shows_every_claim_and_says_which_have_no_evidence(
    client, organiser, make_deployment
):
    deployment = make_deployment(
        name="Safe City Belgrade",
        operator="Ministry of the Interior",
        system="Safe City",
        vendor="Huawei",
        legal_basis="Law on Internal Affairs, article 42",
        dpia=Deployment.Dpia.REFUSED,
        started_on=date(2019, 1, 15),
        capabilities=[Capability.Kind.FACE, Capability.Kind.PLATE],
        votes_for=3,
        votes_total=3,
        agreement=Agreement.UNANIMOUS,
        verification=Verification.CORROBORATED,
    )
    evidence_service.add_link(
        deployment,
        claim=Claim.OPERATOR,
        kind=Evidence.Kind.PRESS,
        title="Ministry confirms the cameras",
        url="https://example.org/article",
        read_on=date(2024, 3, 2),
        user=organiser,
    )
    response = client.get(reverse("atlas:deployment", args=[deployment.slug]))
    assert response.status_code == 200
    body = text(response)
    for shown in (
        "Ministry of the Interior",
        "Huawei",
        "Face recognition",
        "Licence-plate reading",
        "Likely",
        "Law on Internal Affairs, article 42",
        "The operator refuses to say",
        "Active",
        "Corroborated",
        "Unanimous",
        "3 of 3 reviewers confirmed",
        "Ministry confirms the cameras",
        "https://example.org/article",
        "read on",
    ):
        assert shown in body, shown
    # Operator has its source; the other six claims (existence, system, capabilities,
    # status, legal basis, impact assessment) say they have none.
    assert body.count("No evidence yet") == 6


def test_a_deployment_page_lists_its_foi_requests_with_documents_and_devices(
    client, organiser, belgrade, make_device
):
    foi = FoiRequest.objects.create(
        deployment=belgrade,
        authority="Ministry of the Interior",
        sent_on=date(2023, 5, 1),
        status=FoiRequest.Status.REFUSED,
        answered_on=date(2023, 6, 20),
        answer="The information is classified.",
    )
    evidence_service.add_file(
        belgrade,
        claim=Claim.EXISTENCE,
        kind=Evidence.Kind.FOI_ANSWER,
        title="The refusal letter",
        uploaded_file=SimpleUploadedFile("refusal.pdf", PDF_BYTES, "application/pdf"),
        user=organiser,
        foi_request=foi,
    )
    make_device(belgrade)
    make_device(belgrade)
    make_device(belgrade, published=False)
    body = text(client.get(reverse("atlas:deployment", args=[belgrade.slug])))
    assert "To Ministry of the Interior" in body
    assert "Refused" in body
    assert "The information is classified." in body
    assert "The refusal letter" in body
    assert "2 devices on record." in body
    assert f"deployment={belgrade.slug}" in body


def test_an_unpublished_deployment_is_not_found_by_the_public(client, make_deployment):
    hidden = make_deployment(published=False)
    assert client.get(reverse("atlas:deployment", args=[hidden.slug])).status_code == 404
    assert client.get("/en/atlas/deployments/no-such-thing/").status_code == 404


def test_organisers_and_reviewers_may_preview_an_unpublished_deployment(
    as_user, organiser, reviewers, outsider, make_deployment
):
    hidden = make_deployment(name="Pilot in a school", published=False)
    url = reverse("atlas:deployment", args=[hidden.slug])
    for user in (organiser, reviewers[0]):
        response = as_user(user).get(url)
        assert response.status_code == 200
        assert "Preview: this deployment is not public." in text(response)
    assert as_user(outsider).get(url).status_code == 404


# --- A device ----------------------------------------------------------------------------


def test_a_device_page_shows_the_point_what_it_watches_and_its_deployment(
    client, belgrade, make_device
):
    device = make_device(
        belgrade,
        latitude=44.81254,
        longitude=20.46123,
        place="Republic Square",
        watches=Device.Watches.SQUARE,
        mount=Device.Mount.POLE,
        camera_type=Device.CameraType.DOME,
        direction=270,
        model="Huawei X1",
    )
    photo = make_photo(device)
    response = client.get(reverse("atlas:device", args=[device.pk]))
    assert response.status_code == 200
    body = text(response)
    for shown in (
        "Republic Square",
        "44.81254",
        "20.46123",
        'data-latitude="44.81254"',
        'data-longitude="20.46123"',
        "A square or park",
        "Pole",
        "Dome",
        "270° from north",
        "Huawei X1",
        "Safe City Belgrade",
        reverse("atlas:deployment", args=[belgrade.slug]),
        reverse("atlas:photo", args=[photo.pk, photo.version]),
        "A dome camera on a pole",
    ):
        assert shown in body, shown
    assert body.count("No evidence yet") == 3
    assert "Needs a re-check" not in body


def test_a_device_page_in_german_keeps_machine_coordinates(client, belgrade, make_device):
    device = make_device(belgrade, latitude=44.81254, longitude=20.46123)
    body = text(client.get(f"/de/atlas/devices/{device.pk}/"))
    assert 'data-latitude="44.81254"' in body


def test_a_stale_device_page_says_it_needs_a_recheck_and_invites_one(client, belgrade, make_device):
    device = make_device(belgrade, last_seen=stale_date())
    body = text(client.get(reverse("atlas:device", args=[device.pk])))
    assert "Needs a re-check" in body
    try:
        report = reverse("atlas:report")
    except NoReverseMatch:
        pytest.skip("the reports part's atlas:report does not exist yet")
    assert f"{report}?device={device.pk}" in body
    assert "Is this camera still there?" in body


def test_a_device_found_gone_says_so(client, belgrade, make_device):
    device = make_device(belgrade, removed_on=date(2025, 2, 1))
    body = text(client.get(reverse("atlas:device", args=[device.pk])))
    assert "found this device gone" in body
    assert "Is this camera still there?" not in body


def test_an_unpublished_device_is_not_found_by_the_public(
    client, as_user, organiser, belgrade, make_device
):
    hidden = make_device(belgrade, published=False)
    url = reverse("atlas:device", args=[hidden.pk])
    assert client.get(url).status_code == 404
    assert client.get("/en/atlas/devices/999999/").status_code == 404
    assert "Preview: this device is not public." in text(as_user(organiser).get(url))


def test_a_device_of_an_unpublished_deployment_does_not_name_it(
    client, make_deployment, make_device
):
    hidden = make_deployment(name="Secret deployment", published=False)
    device = make_device(hidden)
    body = text(client.get(reverse("atlas:device", args=[device.pk])))
    assert "Secret deployment" not in body


# --- The re-check list ----------------------------------------------------------------


def test_the_recheck_list_has_stale_devices_oldest_first_and_not_fresh_ones(
    client, belgrade, make_device
):
    make_device(belgrade, place="Fresh corner")
    make_device(belgrade, place="Old corner", last_seen=stale_date(14))
    make_device(belgrade, place="Oldest corner", last_seen=stale_date(30))
    make_device(belgrade, place="Hidden stale", last_seen=stale_date(20), published=False)
    make_device(belgrade, place="Gone stale", last_seen=stale_date(20), removed_on=stale_date(2))
    response = client.get(RECHECK)
    assert response.status_code == 200
    body = text(response)
    assert "Fresh corner" not in body
    assert "Hidden stale" not in body
    assert "Gone stale" not in body
    assert body.index("Oldest corner") < body.index("Old corner")
    assert "2 devices need a re-check" in body
    assert "Check it" in body


def test_the_recheck_cutoff_follows_the_setting(settings, belgrade, make_device):
    today = date(2025, 6, 1)
    assert recheck_cutoff(today) == today - timedelta(days=365)
    settings.RECLAIM = {**settings.RECLAIM, "ATLAS_RECHECK_MONTHS": 1}
    assert recheck_cutoff(today) == today - timedelta(days=30)
    device = make_device(belgrade, last_seen=timezone.localdate() - timedelta(days=40))
    assert list(needs_recheck()) == [device]
    assert device in public_devices()


def test_the_list_marks_stale_devices(client, belgrade, make_device):
    make_device(belgrade, place="Old corner", last_seen=stale_date())
    body = text(client.get(LIST, {"kind": "devices"}))
    assert "Needs a re-check" in body


# --- Photos and files ------------------------------------------------------------------


def test_a_published_devices_photo_is_served_from_our_origin_for_a_year(
    client, belgrade, make_device
):
    photo = make_photo(make_device(belgrade))
    response = client.get(reverse("atlas:photo", args=[photo.pk, photo.version]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert bytes(response.content) == bytes(photo.content)
    assert "immutable" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    old = client.get(reverse("atlas:photo", args=[photo.pk, "0dd"]))
    assert old.status_code == 302
    assert old["Location"].endswith(reverse("atlas:photo", args=[photo.pk, photo.version]))


def test_photos_of_unpublished_devices_and_of_reports_are_not_served(
    client, as_user, organiser, belgrade, make_device
):
    hidden = make_photo(make_device(belgrade, published=False))
    report = Report.objects.create(
        kind=Report.Kind.DEVICE, seen_on=timezone.localdate(), language="en"
    )
    reported = make_photo(None, report=report)
    assert client.get(reverse("atlas:photo", args=[hidden.pk, hidden.version])).status_code == 404
    assert (
        client.get(reverse("atlas:photo", args=[reported.pk, reported.version])).status_code == 404
    )
    # Staff preview an unpublished device's photo, never cached; a report's photo is not
    # served here even to them (the review queue shows it).
    staff = as_user(organiser)
    preview = staff.get(reverse("atlas:photo", args=[hidden.pk, hidden.version]))
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]
    assert (
        staff.get(reverse("atlas:photo", args=[reported.pk, reported.version])).status_code == 404
    )


def test_a_pdf_is_served_as_a_sandboxed_download(client, organiser, belgrade):
    evidence = evidence_service.add_file(
        belgrade,
        claim=Claim.LEGAL_BASIS,
        kind=Evidence.Kind.DOCUMENT,
        title="The decree",
        uploaded_file=SimpleUploadedFile("the decree (final).pdf", PDF_BYTES, "application/pdf"),
        user=organiser,
    )
    page = text(client.get(reverse("atlas:deployment", args=[belgrade.slug])))
    url = reverse("atlas:evidence_file", args=[evidence.pk, evidence.file_version])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert bytes(response.content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="the-decree-final.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "immutable" in response["Cache-Control"]


def test_an_evidence_image_is_reencoded_and_served(client, organiser, belgrade, make_device):
    device = make_device(belgrade)
    evidence = evidence_service.add_file(
        device,
        claim=Claim.EXISTENCE,
        kind=Evidence.Kind.PHOTO,
        title="The camera",
        uploaded_file=SimpleUploadedFile("camera.png", png_bytes(), "image/png"),
        user=organiser,
    )
    assert evidence.file_type == "image/jpeg"
    response = client.get(reverse("atlas:evidence_file", args=[evidence.pk, evidence.file_version]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert bytes(response.content).startswith(b"\xff\xd8")


def test_evidence_of_an_unpublished_record_is_not_served(client, organiser, make_deployment):
    hidden = make_deployment(published=False)
    evidence = evidence_service.add_file(
        hidden,
        claim=Claim.EXISTENCE,
        kind=Evidence.Kind.DOCUMENT,
        title="Leaked plan",
        uploaded_file=SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf"),
        user=organiser,
    )
    url = reverse("atlas:evidence_file", args=[evidence.pk, evidence.file_version])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("fake.pdf", b"MZ\x90\x00 this is an executable"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("empty.pdf", b""),
    ],
)
def test_anything_but_a_pdf_or_an_image_is_refused(organiser, belgrade, name, content):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        evidence_service.add_file(
            belgrade,
            claim=Claim.EXISTENCE,
            kind=Evidence.Kind.DOCUMENT,
            title="Something",
            uploaded_file=SimpleUploadedFile(name, content, "application/pdf"),
            user=organiser,
        )
    assert refused.value.messages
    assert not Evidence.objects.exists()


def test_a_pdf_over_the_limit_is_refused(settings, organiser, belgrade):
    from django.core.exceptions import ValidationError

    settings.RECLAIM = {**settings.RECLAIM, "ATLAS_EVIDENCE_MAX_BYTES": 100}
    with pytest.raises(ValidationError, match="larger than"):
        evidence_service.add_file(
            belgrade,
            claim=Claim.EXISTENCE,
            kind=Evidence.Kind.DOCUMENT,
            title="Big",
            uploaded_file=SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200),
            user=organiser,
        )
    assert not Evidence.objects.exists()


def test_a_link_needs_the_day_it_was_read(organiser, belgrade):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        evidence_service.add_link(
            belgrade,
            claim=Claim.OPERATOR,
            kind=Evidence.Kind.PRESS,
            title="An article",
            url="https://example.org/a",
            read_on=None,
            user=organiser,
        )
    assert "read_on" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        evidence_service.add_link(
            belgrade,
            claim=Claim.OPERATOR,
            kind=Evidence.Kind.PRESS,
            title="An article",
            url="javascript:alert(1)",
            read_on=date(2024, 1, 1),
            user=organiser,
        )
    assert "url" in refused.value.error_dict
    assert not Evidence.objects.exists()
