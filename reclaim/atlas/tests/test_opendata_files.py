"""The atlas's open data files, through HTTP: which records they hold, their formats and
licence, their caching; and the page that explains them."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from reclaim.atlas.models import Capability, Deployment, Device, Report, Verification
from reclaim.atlas.tests.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

DATA = "/en/atlas/data/"
EVERY = "reported,corroborated,confirmed"
SECRET_PLACE = "Pending report secret place"
FILES = ("devices.geojson", "deployments.geojson", "devices.csv", "deployments.csv", "devices.osm")


@pytest.fixture
def scene(make_deployment: Any, make_device: Any) -> dict[str, Any]:
    """Devices in every state that matters to the files, with distinct coordinates so that
    their order can be checked."""
    today = timezone.localdate()
    safe_city = make_deployment(
        name="Safe City Belgrade",
        slug="safe-city-belgrade",
        operator="Ministry of the Interior",
        vendor="Huawei",
        verification=Verification.CONFIRMED,
        capabilities=[Capability.Kind.FACE, Capability.Kind.PLATE],
    )
    hidden = make_deployment(
        name="Hidden pilot", slug="hidden-pilot", published=False, operator="Secret operator"
    )
    rumour = make_deployment(name="Rumoured pilot", slug="rumoured-pilot", city="Novi Sad")
    devices = {
        "corroborated": make_device(
            safe_city,
            latitude=44.81,
            longitude=20.46,
            verification=Verification.CORROBORATED,
            agreement="unanimous",
            votes_for=3,
            votes_total=3,
            mount=Device.Mount.POLE,
            camera_type=Device.CameraType.DOME,
            direction=90,
            model="X-100",
            place='=HYPERLINK("http://evil.example","click")',
            city="+Belgrade",
        ),
        "confirmed": make_device(
            safe_city,
            latitude=51.5,
            longitude=-0.12,
            watches=Device.Watches.SHOP,
            verification=Verification.CONFIRMED,
            place="@SUM(1+1)",
        ),
        "reported": make_device(safe_city, latitude=44.7, longitude=20.3, place="Only reported"),
        "unpublished": make_device(
            safe_city,
            latitude=44.6,
            longitude=20.2,
            place="Not yet published",
            published=False,
            verification=Verification.CORROBORATED,
        ),
        "removed": make_device(
            safe_city,
            latitude=44.5,
            longitude=20.1,
            place="Gone camera",
            verification=Verification.CONFIRMED,
            removed_on=today - timedelta(days=2),
        ),
        "of_hidden": make_device(
            hidden,
            latitude=44.4,
            longitude=20.0,
            place="Device of a hidden deployment",
            verification=Verification.CORROBORATED,
        ),
    }
    Report.objects.create(
        kind=Report.Kind.DEVICE,
        latitude=44.3,
        longitude=19.9,
        place=SECRET_PLACE,
        description="Something I saw",
        seen_on=today,
        language="en",
    )
    return {"devices": devices, "safe_city": safe_city, "hidden": hidden, "rumour": rumour}


def _ids(collection: dict[str, Any]) -> set[int]:
    return {feature["id"] for feature in collection["features"]}


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _xml(body: bytes) -> ET.Element:
    # Our own file, parsed with the standard library as a data user would.
    return ET.fromstring(body)  # noqa: S314


def _geojson(client: Any, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return dict(json.loads(_body(response)))


# --- Which records ------------------------------------------------------------------


def test_by_default_the_files_hold_only_public_verified_devices_still_there(client, scene):
    devices = scene["devices"]
    collection = _geojson(client, DATA + "devices.geojson")
    assert _ids(collection) == {
        devices["corroborated"].pk,
        devices["confirmed"].pk,
        devices["of_hidden"].pk,
    }
    rows = list(csv.DictReader(io.StringIO(_body(client.get(DATA + "devices.csv")).decode())))
    assert {int(row["id"]) for row in rows} == _ids(collection)
    for path in ("devices.geojson", "devices.csv", "devices.osm"):
        text = _body(client.get(DATA + path)).decode()
        for gone in ("Only reported", "Not yet published", "Gone camera", SECRET_PLACE):
            assert gone not in text, (path, gone)


def test_reviewed_but_only_reported_devices_come_when_asked_for(client, scene):
    devices = scene["devices"]
    collection = _geojson(client, DATA + "devices.geojson?verification=" + EVERY)
    assert devices["reported"].pk in _ids(collection)
    # Never what is not public, whatever is asked.
    assert devices["unpublished"].pk not in _ids(collection)
    assert devices["removed"].pk not in _ids(collection)
    assert SECRET_PLACE not in json.dumps(collection)
    only_reported = _geojson(client, DATA + "devices.geojson?verification=reported")
    assert _ids(only_reported) == {devices["reported"].pk}


def test_a_device_of_a_withdrawn_deployment_carries_nothing_of_it(client, scene):
    collection = _geojson(client, DATA + "devices.geojson")
    feature = next(f for f in collection["features"] if f["id"] == scene["devices"]["of_hidden"].pk)
    assert feature["properties"]["deployment"] == ""
    assert feature["properties"]["operator"] == ""
    assert "Secret operator" not in json.dumps(collection)
    assert "hidden-pilot" not in json.dumps(collection)


@pytest.mark.parametrize(
    "value",
    [
        "bogus",
        "unpublished",
        "pending",
        "reported;confirmed",
        "<script>alert(1)</script>",
        ",,,",
        "confirmed," + "x" * 500,
        "CONFIRMED",
    ],
)
@pytest.mark.parametrize(
    "path", ["devices.geojson", "devices.csv", "deployments.geojson", "deployments.csv"]
)
def test_a_hostile_verification_value_gets_a_clear_400(client, scene, path, value):
    response = client.get(DATA + path, {"verification": value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "reported, corroborated, confirmed" in text
    assert "<script>" not in text


def test_the_osm_file_refuses_reported_devices(client, scene):
    response = client.get(DATA + "devices.osm", {"verification": EVERY})
    assert response.status_code == 400
    assert "corroborated, confirmed" in response.content.decode()
    assert client.get(DATA + "devices.osm", {"verification": "confirmed"}).status_code == 200


def test_deployments_files_hold_public_verified_deployments(client, scene):
    collection = _geojson(client, DATA + "deployments.geojson")
    assert _ids(collection) == {scene["safe_city"].pk}
    feature = collection["features"][0]
    assert feature["properties"]["capabilities"] == ["face_recognition", "licence_plate"]
    # Its public devices still there: the corroborated, confirmed and reported ones.
    assert feature["properties"]["devices"] == 3
    # No centre given: no geometry, as RFC 7946 allows.
    assert feature["geometry"] is None
    every = _geojson(client, DATA + "deployments.geojson?verification=" + EVERY)
    assert _ids(every) == {scene["safe_city"].pk, scene["rumour"].pk}
    text = _body(client.get(DATA + "deployments.csv?verification=" + EVERY)).decode()
    assert "Rumoured pilot" in text
    assert "Hidden pilot" not in text


# --- Formats ----------------------------------------------------------------------


def test_geojson_is_rfc_7946_with_longitude_first_and_its_licence(client, scene):
    collection = _geojson(client, DATA + "devices.geojson")
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    assert collection["licence"] == {
        "id": "ODbL-1.0",
        "name": "Open Data Commons Open Database License",
        "url": "https://opendatacommons.org/licenses/odbl/1-0/",
    }
    assert "ODbL-1.0" in collection["attribution"]
    by_id = {f["id"]: f for f in collection["features"]}
    london = by_id[scene["devices"]["confirmed"].pk]
    assert london["type"] == "Feature"
    assert london["geometry"] == {"type": "Point", "coordinates": [-0.12, 51.5]}
    belgrade = by_id[scene["devices"]["corroborated"].pk]
    assert belgrade["geometry"]["coordinates"] == [20.46, 44.81]
    properties = belgrade["properties"]
    assert properties["verification"] == "corroborated"
    assert properties["agreement"] == "unanimous"
    assert properties["operator"] == "Ministry of the Interior"
    assert properties["capabilities"] == ["face_recognition", "licence_plate"]


def test_csv_parses_neutralises_formulas_and_carries_its_licence(client, scene):
    response = client.get(DATA + "devices.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "charset=utf-8" in response["Content-Type"]
    assert "ODbL-1.0" in response["Content-Disposition"]
    assert 'rel="license"' in response["Link"]
    assert "opendatacommons.org/licenses/odbl" in response["Link"]
    raw = _body(response)
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(raw.decode()))}
    belgrade = rows[scene["devices"]["corroborated"].pk]
    assert belgrade["place"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert belgrade["city"] == "'+Belgrade"
    assert belgrade["capabilities"] == "face_recognition;licence_plate"
    london = rows[scene["devices"]["confirmed"].pk]
    assert london["place"] == "'@SUM(1+1)"
    # A number we write stays a number: a negative longitude is not a formula.
    assert london["longitude"] == "-0.12"
    assert {row["licence"] for row in rows.values()} == {"ODbL-1.0"}
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), value


def test_the_osm_file_parses_with_the_surveillance_tags(client, scene):
    response = client.get(DATA + "devices.osm")
    assert response.status_code == 200
    assert "openstreetmap" in response["Content-Type"]
    root = _xml(_body(response))
    assert root.tag == "osm"
    assert root.get("version") == "0.6"
    assert root.get("upload") == "false"
    note = root.find("note")
    assert note is not None and "ODbL-1.0" in (note.text or "")
    assert "face recognition" in (note.text or "")
    meta = root.find("meta")
    assert meta is not None and meta.get("licence") == "ODbL-1.0"
    nodes = {int(node.get("id", "0")): node for node in root.findall("node")}
    devices = scene["devices"]
    assert set(nodes) == {-devices[name].pk for name in ("corroborated", "confirmed", "of_hidden")}
    assert all(node_id < 0 for node_id in nodes)
    node = nodes[-devices["corroborated"].pk]
    assert (node.get("lat"), node.get("lon")) == ("44.81", "20.46")
    tags = {tag.get("k"): tag.get("v") for tag in node.findall("tag")}
    assert tags["man_made"] == "surveillance"
    assert tags["surveillance:type"] == "camera"
    assert tags["surveillance"] == "public"
    assert tags["camera:type"] == "dome"
    assert tags["camera:direction"] == "90"
    assert tags["camera:mount"] == "pole"
    assert tags["operator"] == "Ministry of the Interior"
    assert tags["manufacturer"] == "Huawei"
    assert tags["model"] == "X-100"
    assert tags["reclaim:capability"] == "face_recognition;licence_plate"
    assert tags["reclaim:verification"] == "corroborated"
    assert "ODbL-1.0" in tags["source"]
    shop = {t.get("k"): t.get("v") for t in nodes[-devices["confirmed"].pk].findall("tag")}
    assert shop["surveillance"] == "indoor"
    # Unknown mount, type and direction: no tag rather than a guess.
    assert not {"camera:mount", "camera:type", "camera:direction"} & set(shop)


def test_every_file_says_its_licence_in_a_link_header(client, scene):
    for path in FILES:
        response = client.get(DATA + path)
        assert response.status_code == 200, path
        assert 'rel="license"' in response["Link"], path
        assert response["Access-Control-Allow-Origin"] == "*"


# --- Caching ----------------------------------------------------------------------


def test_a_reader_with_the_current_file_gets_304_until_a_record_changes(client, scene):
    first = client.get(DATA + "devices.geojson")
    etag = first["ETag"]
    assert etag.startswith('"')
    assert first["Cache-Control"].startswith("public, max-age=")
    again = client.get(DATA + "devices.geojson", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # Another selection is another file.
    every = client.get(DATA + "devices.geojson?verification=" + EVERY)
    assert every["ETag"] != etag
    # A vote that only re-grades a device, saved without touching updated_at.
    reported = scene["devices"]["reported"]
    Device.objects.filter(pk=reported.pk).update(
        verification=Verification.CORROBORATED, votes_total=3, votes_for=3
    )
    changed = client.get(DATA + "devices.geojson", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert reported.pk in _ids(json.loads(_body(changed)))


def test_head_answers_the_headers_without_the_file(client, scene):
    response = client.head(DATA + "devices.csv")
    assert response.status_code == 200
    assert response["ETag"]
    assert response.content == b""


def test_a_file_is_read_only(client, scene):
    assert client.post(DATA + "devices.geojson").status_code == 405


def test_files_are_streamed_in_batches(client, make_device, monkeypatch, db):
    from reclaim.atlas.services import exports

    monkeypatch.setattr(exports, "BATCH", 2)
    made = [
        make_device(None, latitude=40 + i / 10, longitude=20, verification=Verification.CONFIRMED)
        for i in range(5)
    ]
    response = client.get(DATA + "devices.geojson")
    assert response.streaming
    assert _ids(json.loads(_body(response))) == {device.pk for device in made}
    rows = list(csv.DictReader(io.StringIO(_body(client.get(DATA + "devices.csv")).decode())))
    assert len(rows) == 5
    root = _xml(_body(client.get(DATA + "devices.osm")))
    assert len(root.findall("node")) == 5


def test_an_empty_atlas_gives_valid_empty_files(client, db):
    assert _geojson(client, DATA + "devices.geojson")["features"] == []
    rows = list(csv.reader(io.StringIO(_body(client.get(DATA + "deployments.csv")).decode())))
    assert rows[0][-1] == "licence" and len(rows) == 1
    assert _xml(_body(client.get(DATA + "devices.osm"))).findall("node") == []


# --- The page -------------------------------------------------------------------------


def test_the_data_page_gives_the_licence_and_links_every_file(client, scene):
    response = client.get(DATA)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Open Data Commons Open Database License" in text
    assert 'href="https://opendatacommons.org/licenses/odbl/1-0/" rel="license"' in text
    for path in FILES:
        assert f'href="{DATA}{path}"' in text, path
    assert "OpenStreetMap has no tag for face recognition" in text
    assert "/api/v1/atlas/" in text


def test_the_data_page_speaks_the_visitors_language(client, scene):
    response = client.get("/de/atlas/data/")
    assert response.status_code == 200
    assert 'href="/de/atlas/data/devices.csv"' in response.content.decode()


def test_a_deployment_without_devices_still_counts_none(client, make_deployment):
    make_deployment(
        verification=Verification.CONFIRMED,
        status=Deployment.Status.PILOT,
        latitude=45.0,
        longitude=19.0,
    )
    collection = _geojson(client, DATA + "deployments.geojson")
    feature = collection["features"][0]
    assert feature["properties"]["devices"] == 0
    assert feature["properties"]["status"] == "pilot"
    assert feature["geometry"]["coordinates"] == [19.0, 45.0]
