"""The map's clusters (atlas:clusters) through HTTP: what is counted, what never shows,
filters, hostile input, and revalidation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reclaim.atlas.models import Capability, Deployment, Verification
from reclaim.atlas.services.clusters import bump_map_version
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.fixtures import stale_date

WORLD = "-180,-85,180,85"
BELGRADE = "20.3,44.7,20.6,44.9"


def clusters(client: Any, bbox: str, zoom: int | str, **filters: str) -> dict[str, Any]:
    response = client.get(reverse("atlas:clusters"), {"bbox": bbox, "zoom": zoom, **filters})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return data


def devices_counted(data: dict[str, Any]) -> int:
    total = 0
    for feature in data["features"]:
        p = feature["properties"]
        total += p["count"] if p["kind"] == "cluster" else 1 if p["kind"] == "device" else 0
    return total


def single_ids(data: dict[str, Any]) -> set[int]:
    return {f["properties"]["id"] for f in data["features"] if f["properties"]["kind"] == "device"}


@pytest.fixture
def scattered(make_device, belgrade):
    """Eight public devices in Belgrade 0.002° apart (each its own cell at zoom 18), three
    in Paris, and in Belgrade one unpublished and one found gone."""
    public = [make_device(belgrade, latitude=44.81, longitude=20.46 + 0.002 * n) for n in range(8)]
    paris = [make_device(None, latitude=48.85, longitude=2.35 + 0.01 * n) for n in range(3)]
    hidden = make_device(belgrade, latitude=44.81, longitude=20.4615, published=False)
    gone = make_device(belgrade, latitude=44.81, longitude=20.4635, removed_on=stale_date(1))
    return {"public": public, "paris": paris, "hidden": hidden, "gone": gone}


def test_the_counts_add_up_to_the_public_devices_in_the_box(client, scattered):
    for zoom in (0, 2, 5):
        assert devices_counted(clusters(client, WORLD, zoom)) == 11, zoom
    for zoom in (8, 10, 12, 14):
        assert devices_counted(clusters(client, BELGRADE, zoom)) == 8, zoom
    paris = clusters(client, "2.0,48.6,2.8,49.0", 10)
    assert devices_counted(paris) == 3
    # At zoom 2 Paris and Belgrade share a cell; at zoom 5 each city is one cluster,
    # centred on its devices' mean.
    assert [f["properties"]["count"] for f in clusters(client, WORLD, 2)["features"]] == [11]
    world = clusters(client, WORLD, 5)
    belgrade_cluster = next(f for f in world["features"] if f["properties"].get("count") == 8)
    longitude, latitude = belgrade_cluster["geometry"]["coordinates"]
    assert latitude == pytest.approx(44.81)
    assert longitude == pytest.approx(20.467)
    assert belgrade_cluster["properties"]["bounds"] == pytest.approx([20.46, 44.81, 20.474, 44.81])


def test_unpublished_and_removed_devices_never_appear(client, scattered):
    street = clusters(client, "20.455,44.805,20.48,44.815", 18)
    assert single_ids(street) == {device.pk for device in scattered["public"]}
    assert scattered["hidden"].pk not in single_ids(street)
    assert scattered["gone"].pk not in single_ids(street)
    assert devices_counted(street) == 8


def test_a_single_device_says_its_verification_and_whether_it_is_stale(client, make_device):
    fresh = make_device(None, latitude=10.0, longitude=10.0, verification=Verification.CONFIRMED)
    old = make_device(None, latitude=10.0, longitude=10.01, last_seen=stale_date())
    data = clusters(client, "9.99,9.99,10.02,10.01", 16)
    singles = {f["properties"]["id"]: f for f in data["features"]}
    assert singles[fresh.pk]["properties"] == {
        "kind": "device",
        "id": fresh.pk,
        "verification": "confirmed",
        "stale": False,
    }
    assert singles[old.pk]["properties"]["stale"] is True
    assert singles[fresh.pk]["geometry"] == {"type": "Point", "coordinates": [10.0, 10.0]}


def test_filters_narrow_the_devices(client, make_deployment, make_device):
    faces = make_deployment(capabilities=[Capability.Kind.FACE], status=Deployment.Status.PILOT)
    plates = make_deployment(capabilities=[Capability.Kind.PLATE])
    withdrawn = make_deployment(capabilities=[Capability.Kind.FACE], published=False)
    for n in range(3):
        make_device(faces, latitude=44.81, longitude=20.46 + 0.01 * n)
    for n in range(2):
        make_device(plates, latitude=44.81, longitude=20.5 + 0.01 * n, verification="corroborated")
    make_device(withdrawn, latitude=44.81, longitude=20.55)
    make_device(None, latitude=44.82, longitude=20.46, verification="corroborated")

    assert devices_counted(clusters(client, WORLD, 2)) == 7
    assert devices_counted(clusters(client, WORLD, 2, capability="face")) == 3
    assert devices_counted(clusters(client, WORLD, 2, capability="plate")) == 2
    assert devices_counted(clusters(client, WORLD, 2, capability="voice")) == 0
    assert devices_counted(clusters(client, WORLD, 2, verification="corroborated")) == 3
    assert devices_counted(clusters(client, WORLD, 2, status="pilot")) == 3
    assert devices_counted(clusters(client, WORLD, 2, status="active")) == 2
    assert (
        devices_counted(clusters(client, WORLD, 2, capability="plate", verification="corroborated"))
        == 2
    )
    assert (
        devices_counted(clusters(client, WORLD, 2, capability="face", verification="corroborated"))
        == 0
    )


def test_deployments_with_a_centre_and_no_device_are_shown_on_their_own(
    client, make_deployment, make_device
):
    school = make_deployment(name="School pilot", latitude=45.25, longitude=19.84)
    with_devices = make_deployment(latitude=44.8, longitude=20.4)
    make_device(with_devices, latitude=44.81, longitude=20.46)
    make_deployment(latitude=44.0, longitude=20.0, published=False)
    make_deployment(latitude=None, longitude=None)
    data = clusters(client, WORLD, 2)
    deployments = [f for f in data["features"] if f["properties"]["kind"] == "deployment"]
    assert [f["properties"]["slug"] for f in deployments] == [school.slug]
    assert deployments[0]["properties"]["name"] == "School pilot"
    assert deployments[0]["geometry"]["coordinates"] == [19.84, 45.25]
    assert not clusters(client, WORLD, 2, capability="plate")["features"][1:]
    assert not [
        f
        for f in clusters(client, BELGRADE, 10)["features"]
        if f["properties"]["kind"] == "deployment"
    ]


def test_a_box_across_the_antimeridian_finds_both_sides(client, make_device):
    east = make_device(None, latitude=-17.0, longitude=179.9)
    west = make_device(None, latitude=-17.0, longitude=-179.9)
    elsewhere = make_device(None, latitude=-17.0, longitude=170.0)
    for bbox in ("179,-18,-179,-16", "179,-18,181,-16", "-181,-18,-179,-16", "539,-18,541,-16"):
        data = clusters(client, bbox, 12)
        assert single_ids(data) == {east.pk, west.pk}, bbox
        assert elsewhere.pk not in single_ids(data)
    # Leaflet's world copies at zoom 1: more than the whole world's width.
    assert devices_counted(clusters(client, "-400,-80,400,80", 1)) == 3


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"zoom": "3"},
        {"bbox": WORLD},
        {"bbox": "a,b,c,d", "zoom": "3"},
        {"bbox": "1,2,3", "zoom": "3"},
        {"bbox": "1,2,3,4,5", "zoom": "3"},
        {"bbox": "nan,0,1,1", "zoom": "3"},
        {"bbox": "inf,0,1,1", "zoom": "3"},
        {"bbox": "1e400,0,1,1", "zoom": "3"},
        {"bbox": "0x10,0,1,1", "zoom": "3"},
        {"bbox": "0,10,1,5", "zoom": "3"},
        {"bbox": "0,-95,1,5", "zoom": "3"},
        {"bbox": "0,0,1,91", "zoom": "3"},
        {"bbox": "-1000,0,1000,1", "zoom": "3"},
        {"bbox": "9" * 5000 + ",0,1,1", "zoom": "3"},
        {"bbox": WORLD, "zoom": "20"},
        {"bbox": WORLD, "zoom": "-1"},
        {"bbox": WORLD, "zoom": "2.5"},
        {"bbox": WORLD, "zoom": "two"},
        {"bbox": WORLD, "zoom": "9" * 400},
        {"bbox": WORLD, "zoom": "19"},
        {"bbox": "20,44,21,45", "zoom": "19"},
        {"bbox": WORLD, "zoom": "2", "capability": "mind-reading"},
        {"bbox": WORLD, "zoom": "2", "verification": "rumour"},
        {"bbox": WORLD, "zoom": "2", "status": "<script>"},
    ],
)
def test_hostile_queries_get_a_400_with_a_json_error(client, query):
    response = client.get(reverse("atlas:clusters"), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]
    assert "ETag" not in response


def test_the_answer_has_an_etag_and_a_revalidation_is_a_304(client, make_device):
    make_device(None, latitude=44.81, longitude=20.46)
    url = reverse("atlas:clusters")
    query = {"bbox": WORLD, "zoom": "2"}
    first = client.get(url, query)
    assert first.status_code == 200
    assert "max-age" in first["Cache-Control"] and "public" in first["Cache-Control"]
    etag = first["ETag"]
    again = client.get(url, query, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    # Another box or filter is another answer.
    other = client.get(url, {**query, "verification": "reported"}, headers={"If-None-Match": etag})
    assert other.status_code == 200
    # A new device changes the data's version: a new ETag and the new count.
    make_device(None, latitude=48.85, longitude=2.35)
    changed = client.get(url, query, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert devices_counted(changed.json()) == 2


def test_a_change_shows_at_once_and_a_write_that_bypasses_save_after_a_bump(client, make_device):
    device = make_device(None, latitude=44.81, longitude=20.46)
    assert devices_counted(clusters(client, WORLD, 2)) == 1
    device.published = False
    device.save()
    assert devices_counted(clusters(client, WORLD, 2)) == 0
    from reclaim.atlas.models import Device

    Device.objects.filter(pk=device.pk).update(published=True)
    bump_map_version()
    assert devices_counted(clusters(client, WORLD, 2)) == 1
    device.delete()
    assert devices_counted(clusters(client, WORLD, 2)) == 0


def test_the_cells_keep_their_devices_while_panning(client, make_device):
    for n in range(20):
        make_device(None, latitude=44.80 + 0.001 * n, longitude=20.40 + 0.003 * n)
    whole = clusters(client, "19.5,44.0,21.5,45.5", 9)
    moved = clusters(client, "19.6,44.1,21.6,45.6", 9)
    assert whole["features"] == moved["features"]


def test_devices_on_the_edges_of_the_world_are_counted_once(client, make_device):
    for latitude, longitude in [(85.05, 180.0), (-85.05, -180.0), (0.0, 0.0), (0.0, 180.0)]:
        make_device(None, latitude=latitude, longitude=longitude)
    make_device(None, latitude=89.0, longitude=0.0)  # beyond Web Mercator: not on the map
    for zoom in range(0, 6):
        assert devices_counted(clusters(client, WORLD, zoom)) == 4, zoom
    east = clusters(client, "170,-10,180,10", 6)
    west = clusters(client, "-180,-10,-170,10", 6)
    assert devices_counted(east) + devices_counted(west) == 1
