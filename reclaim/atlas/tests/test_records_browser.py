"""The atlas's record pages in Chromium: accessible, fit a phone and a desktop, work with
JavaScript off, and call no other site."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reclaim.atlas.models import Agreement, Claim, Evidence, FoiRequest, Verification
from reclaim.atlas.services.evidence import add_file, add_link
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures import stale_date

PHONE = {"viewport": {"width": 390, "height": 844}}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def scene(organiser: Any, make_deployment: Any, make_device: Any) -> dict[str, Any]:
    deployment = make_deployment(
        name="Safe City Belgrade with a rather long name that must wrap on a phone",
        slug="belgrade",
        legal_basis="Law on Internal Affairs",
        verification=Verification.CORROBORATED,
        agreement=Agreement.MAJORITY,
        votes_for=2,
        votes_total=3,
    )
    foi = FoiRequest.objects.create(
        deployment=deployment,
        authority="Ministry of the Interior",
        sent_on=date(2023, 5, 1),
        status=FoiRequest.Status.REFUSED,
        answer="Classified.",
    )
    add_link(
        deployment,
        claim=Claim.OPERATOR,
        kind=Evidence.Kind.PRESS,
        title="An article with a long address",
        url="https://example.org/" + "very-long-path-segment/" * 6,
        read_on=date(2024, 1, 2),
        user=organiser,
    )
    add_file(
        deployment,
        claim=Claim.EXISTENCE,
        kind=Evidence.Kind.FOI_ANSWER,
        title="The refusal",
        uploaded_file=SimpleUploadedFile("refusal.pdf", PDF_BYTES),
        user=organiser,
        foi_request=foi,
    )
    device = make_device(deployment, place="Republic Square", direction=90, model="X1")
    add_file(
        device,
        claim=Claim.EXISTENCE,
        kind=Evidence.Kind.PHOTO,
        title="The camera",
        uploaded_file=SimpleUploadedFile("camera.png", png()),
        user=organiser,
    )
    make_device(deployment, place="Old corner", last_seen=stale_date())
    return {"deployment": deployment, "device": device}


def pages(scene: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("/{lang}/atlas/list/", "the atlas list"),
        ("/{lang}/atlas/list/?kind=devices&city=Belgrade&capability=bogus", "the device list"),
        (f"/{{lang}}/atlas/deployments/{scene['deployment'].slug}/", "a deployment's page"),
        (f"/{{lang}}/atlas/devices/{scene['device'].pk}/", "a device's page"),
        ("/{lang}/atlas/recheck/", "the re-check list"),
    ]


@pytest.mark.browser
def test_the_record_pages_pass_the_accessibility_checks(page, axe, traffic, scene):
    for url, label in pages(scene):
        page.goto(url.format(lang="en"))
        axe(page, label)
    traffic.assert_same_origin()
    assert not traffic.failed_assets


@pytest.mark.browser
@pytest.mark.no_javascript
@pytest.mark.parametrize("page", [PHONE, DESKTOP], indirect=True)
def test_the_record_pages_fit_without_javascript(page, traffic, scene):
    for url, label in pages(scene):
        for language in ("en", "de", "fr"):
            response = page.goto(url.format(lang=language))
            assert response is not None and response.status == 200, (label, language)
            assert page.evaluate(OVERFLOW) == 0, (label, language)
    traffic.assert_same_origin()
    assert not traffic.failed_assets


@pytest.mark.browser
@pytest.mark.no_javascript
def test_the_list_filters_work_without_javascript(page, scene, make_deployment):
    make_deployment(name="Nis plates", city="Nis", capabilities=["plate"])
    page.goto("/en/atlas/list/")
    page.select_option("#id_city", "Nis")
    page.get_by_role("button", name="Show").click()
    assert "city=Nis" in page.url
    assert page.get_by_role("link", name="Nis plates").is_visible()
    assert page.get_by_text("Safe City Belgrade with a rather long name").count() == 0
