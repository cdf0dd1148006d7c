"""The atlas in the public API (/api/v1/atlas/), through HTTP: public records only, each
with its grade; filters; the licence in every answer; the schema still builds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from reclaim.atlas.models import (
    Capability,
    Claim,
    Deployment,
    Evidence,
    FoiRequest,
    Report,
    Verification,
)
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures import stale_date

pytestmark = pytest.mark.django_db

API = "/api/v1/atlas"
LICENCE_ID = "ODbL-1.0"


@pytest.fixture(autouse=True)
def _unthrottled(settings: Any) -> None:
    # These tests read more than a minute's worth of the API from one address.
    settings.RECLAIM = {
        **settings.RECLAIM,
        "THROTTLES_BY_SCOPE": {
            "api.read": {"source_burst": (10_000, 60), "source_sustained": (10_000, 3600)}
        },
    }


@pytest.fixture
def scene(make_deployment: Any, make_device: Any) -> dict[str, Any]:
    today = timezone.localdate()
    belgrade = make_deployment(
        name="Safe City Belgrade",
        slug="safe-city-belgrade",
        verification=Verification.CONFIRMED,
        agreement="majority",
        votes_for=2,
        votes_total=3,
        capabilities=[Capability.Kind.FACE, Capability.Kind.PLATE],
        legal_basis="Law on Internal Affairs, art. 42",
        dpia=Deployment.Dpia.REFUSED,
        started_on=date(2019, 1, 1),
        description="Cameras across the city.",
    )
    FoiRequest.objects.create(
        deployment=belgrade,
        authority="Ministry of the Interior",
        sent_on=date(2020, 2, 1),
        status=FoiRequest.Status.REFUSED,
        answered_on=date(2020, 3, 1),
    )
    FoiRequest.objects.create(
        deployment=belgrade, authority="City of Belgrade", sent_on=date(2021, 5, 1)
    )
    Evidence.objects.create(
        deployment=belgrade,
        claim=Claim.CAPABILITY,
        kind=Evidence.Kind.PRESS,
        title="A newspaper on the face recognition",
        url="https://news.example/article",
        read_on=date(2021, 6, 1),
    )
    school = make_deployment(
        name="School pilot",
        slug="school-pilot",
        city="Novi Sad",
        status=Deployment.Status.PILOT,
        capabilities=[Capability.Kind.EMOTION],
    )
    lyon = make_deployment(
        name="Station cameras",
        slug="station-cameras",
        city="Lyon",
        country="FR",
        verification=Verification.CORROBORATED,
        capabilities=[Capability.Kind.UNKNOWN],
    )
    hidden = make_deployment(name="Hidden", slug="hidden", published=False)
    devices = {
        "square": make_device(
            belgrade, latitude=44.81, longitude=20.46, verification=Verification.CORROBORATED
        ),
        "bridge": make_device(belgrade, latitude=44.9, longitude=20.3, place="Bridge"),
        "stale": make_device(
            belgrade,
            latitude=44.7,
            longitude=20.5,
            last_seen=stale_date(),
            verification=Verification.CONFIRMED,
        ),
        "lyon": make_device(lyon, latitude=45.76, longitude=4.83, city="Lyon"),
        "unpublished": make_device(belgrade, published=False, place="Not yet published"),
        "removed": make_device(belgrade, removed_on=today - timedelta(days=1), place="Gone"),
        "of_hidden": make_device(hidden, latitude=44.82, longitude=20.47),
    }
    Evidence.objects.create(
        device=devices["square"],
        claim=Claim.LOCATION,
        kind=Evidence.Kind.PHOTO,
        title="Seen from the square",
        url="https://photos.example/1",
    )
    Report.objects.create(
        kind=Report.Kind.DEVICE,
        latitude=44.8,
        longitude=20.4,
        place="Pending place",
        seen_on=today,
        language="en",
    )
    return {
        "belgrade": belgrade,
        "school": school,
        "lyon": lyon,
        "hidden": hidden,
        "devices": devices,
    }


def _get(client: Any, path: str, **params: Any) -> Any:
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    return response.json()


def _licensed(body: dict[str, Any]) -> None:
    assert body["licence"]["id"] == LICENCE_ID
    assert body["licence"]["url"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert body["licence"]["attribution"]


# --- Deployments --------------------------------------------------------------------


def test_the_deployments_list_holds_every_public_deployment_with_its_grade(client, scene):
    body = _get(client, "/deployments")
    _licensed(body)
    slugs = {item["slug"]: item for item in body["items"]}
    assert set(slugs) == {"safe-city-belgrade", "school-pilot", "station-cameras"}
    assert body["count"] == 3
    belgrade = slugs["safe-city-belgrade"]
    assert belgrade["verification"] == "confirmed"
    assert (belgrade["agreement"], belgrade["votes_for"], belgrade["votes_total"]) == (
        "majority",
        2,
        3,
    )
    assert {c["kind"] for c in belgrade["capabilities"]} == {"face", "plate"}
    assert belgrade["status"] == "active"
    assert belgrade["started_on"] == "2019-01-01"
    assert belgrade["legal_basis"] == "Law on Internal Affairs, art. 42"
    assert belgrade["dpia"] == "refused"
    # Its public devices still there: not the unpublished nor the removed one.
    assert belgrade["devices"] == 3
    assert belgrade["foi_requests"]["total"] == 2
    assert belgrade["foi_requests"]["by_status"] == {"refused": 1, "pending": 1}
    assert belgrade["evidence"][0]["url"] == "https://news.example/article"
    assert belgrade["evidence"][0]["claim"] == "capability"
    assert slugs["school-pilot"]["verification"] == "reported"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"verification": "confirmed"}, {"safe-city-belgrade"}),
        ({"verification": "corroborated,confirmed"}, {"safe-city-belgrade", "station-cameras"}),
        ({"country": "fr"}, {"station-cameras"}),
        ({"city": "novi sad"}, {"school-pilot"}),
        ({"capability": "emotion"}, {"school-pilot"}),
        ({"capability": "plate"}, {"safe-city-belgrade"}),
        ({"status": "pilot"}, {"school-pilot"}),
        ({"status": "ended"}, set()),
    ],
)
def test_the_deployments_list_filters(client, scene, params, expected):
    body = _get(client, "/deployments", **params)
    assert {item["slug"] for item in body["items"]} == expected


@pytest.mark.parametrize(
    "params",
    [
        {"verification": "unpublished"},
        {"verification": "<b>x</b>"},
        {"status": "deleted"},
        {"capability": "mind_reading"},
        {"country": "FRA"},
        {"page": "0"},
    ],
)
def test_a_bad_deployments_filter_gets_a_clear_400(client, scene, params):
    response = client.get(API + "/deployments", params)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert "<b>" not in response.content.decode()


def test_a_deployment_has_its_detail_and_licence(client, scene):
    body = _get(client, "/deployments/safe-city-belgrade")
    _licensed(body)
    assert body["description"] == "Cameras across the city."
    requests = body["foi_requests"]["requests"]
    assert [r["authority"] for r in requests] == ["Ministry of the Interior", "City of Belgrade"]
    assert requests[0]["status"] == "refused"


def test_an_unpublished_deployment_is_not_found(client, scene):
    response = client.get(API + "/deployments/hidden")
    assert response.status_code == 404
    assert client.get(API + "/deployments/nothing-here").status_code == 404


# --- Devices --------------------------------------------------------------------------


def test_the_devices_list_holds_public_devices_still_there(client, scene):
    devices = scene["devices"]
    body = _get(client, "/devices")
    _licensed(body)
    ids = {item["id"] for item in body["items"]}
    assert ids == {devices[name].pk for name in ("square", "bridge", "stale", "lyon", "of_hidden")}
    by_id = {item["id"]: item for item in body["items"]}
    square = by_id[devices["square"].pk]
    assert (square["latitude"], square["longitude"]) == (44.81, 20.46)
    assert square["verification"] == "corroborated"
    assert square["deployment"] == "safe-city-belgrade"
    assert {c["kind"] for c in square["capabilities"]} == {"face", "plate"}
    assert square["needs_recheck"] is False
    assert by_id[devices["stale"].pk]["needs_recheck"] is True
    # A withdrawn deployment is not given away by its devices.
    hidden = by_id[devices["of_hidden"].pk]
    assert hidden["deployment"] is None
    assert hidden["capabilities"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"bbox": "20.4,44.8,20.5,44.85"}, {"square", "of_hidden"}),
        ({"bbox": "4,45,5,46"}, {"lyon"}),
        ({"bbox": "170,-10,-170,10"}, set()),
        ({"verification": "confirmed"}, {"stale"}),
        ({"verification": "reported"}, {"bridge", "lyon", "of_hidden"}),
        ({"deployment": "station-cameras"}, {"lyon"}),
        ({"deployment": "hidden"}, set()),
        ({"city": "LYON"}, {"lyon"}),
        ({"capability": "plate"}, {"square", "bridge", "stale"}),
        ({"bbox": "20.4,44.8,20.5,44.85", "verification": "corroborated"}, {"square"}),
    ],
)
def test_the_devices_list_filters(client, scene, params, expected):
    body = _get(client, "/devices", **params)
    names = {
        name
        for name, device in scene["devices"].items()
        if device.pk in {item["id"] for item in body["items"]}
    }
    assert names == expected


@pytest.mark.parametrize(
    "bbox",
    ["1,2,3", "a,b,c,d", "0,0,0,0,0", "-200,0,0,10", "0,50,10,40", "0,-91,10,0", "nan,0,1,1"],
)
def test_a_bad_bounding_box_gets_a_clear_400(client, scene, bbox):
    response = client.get(API + "/devices", {"bbox": bbox})
    assert response.status_code == 400
    assert "west, south, east, north" in response.json()["detail"]


def test_devices_are_paginated(client, scene):
    body = _get(client, "/devices", page_size=2)
    assert body["count"] == 5
    assert len(body["items"]) == 2
    second = _get(client, "/devices", page_size=2, page=3)
    assert len(second["items"]) == 1
    _licensed(second)


def test_a_device_has_its_detail_evidence_and_licence(client, scene):
    square = scene["devices"]["square"]
    body = _get(client, f"/devices/{square.pk}")
    _licensed(body)
    assert body["id"] == square.pk
    assert body["evidence"][0]["title"] == "Seen from the square"
    assert body["evidence"][0]["has_file"] is False
    assert body["photos"] == []


def test_an_unpublished_or_removed_device_is_not_found(client, scene):
    for name in ("unpublished", "removed"):
        response = client.get(API + f"/devices/{scene['devices'][name].pk}")
        assert response.status_code == 404, name
    assert client.get(API + "/devices/999999").status_code == 404
    assert client.get(API + "/devices/abc").status_code in (400, 404)


def test_no_pending_report_reaches_the_api(client, scene):
    for path in ("/devices", "/deployments"):
        assert "Pending place" not in client.get(API + path).content.decode()
        assert "Not yet published" not in client.get(API + path).content.decode()


def test_an_answer_has_an_etag_and_a_304(client, scene):
    first = client.get(API + "/devices")
    assert first["ETag"]
    again = client.get(API + "/devices", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_schema_still_builds_with_the_atlas(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/atlas/deployments",
        "/api/v1/atlas/deployments/{slug}",
        "/api/v1/atlas/devices",
        "/api/v1/atlas/devices/{device_id}",
    ):
        assert set(paths[path]) == {"get"}, path
    components = response.json()["components"]["schemas"]
    assert "licence" in components["PagedDeviceSummary"]["properties"]
    assert "licence" in components["DeploymentDetail"]["properties"]
