"""The map page (atlas:map, the atlas's home) through HTTP: it works without JavaScript,
names no other site, and only its Content-Security-Policy allows the street-map tiles."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse

from reclaim.atlas.models import Capability, Deployment
from reclaim.atlas.tests.fixtures import *  # noqa: F403

TILE_HOST = "tile.openstreetmap.org"
ABSOLUTE = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*""", re.IGNORECASE)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def static_text(path: str) -> str:
    found = finders.find(path)
    assert found, path
    return Path(str(found)).read_text()


def test_the_atlas_home_is_the_map(client, db):
    assert reverse("atlas:map") == "/en/atlas/"
    response = client.get("/en/atlas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="region"' in html and 'aria-label="Map of surveillance devices' in html
    assert "Show street map — loads map tiles from tile.openstreetmap.org (OpenStreetMap)" in html
    # Leaflet and our script from our origin.
    assert '<script defer src="/static/leaflet/leaflet.js"></script>' in html
    assert '<script type="module" src="/static/atlas/map.js"></script>' in html


def test_without_javascript_the_page_links_to_the_list_and_lists_the_deployments(
    client, make_deployment, make_device
):
    shown = make_deployment(name="Safe City Belgrade")
    make_device(shown)
    make_device(shown)
    make_deployment(name="Hidden pilot", published=False)
    html = client.get("/en/atlas/").content.decode()
    assert f'href="{reverse("atlas:list")}?kind=devices"' in html
    assert f'href="{reverse("atlas:deployment", args=[shown.slug])}"' in html
    assert "Safe City Belgrade" in html and "2 devices" in html
    assert "Hidden pilot" not in html
    assert "<noscript>" in html


def test_the_filters_drive_the_deployments_and_the_list_link(client, make_deployment):
    make_deployment(name="Face pilot", status=Deployment.Status.PILOT)
    make_deployment(name="Plate reader", capabilities=[Capability.Kind.PLATE])
    response = client.get("/en/atlas/", {"capability": "face", "status": "pilot"})
    html = response.content.decode()
    assert "Face pilot" in html and "Plate reader" not in html
    link = re.search(r'<a href="([^"]+)">These devices as a list</a>', html)
    assert link
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query == {"kind": ["devices"], "capability": ["face"], "status": ["pilot"]}
    config = json.loads(
        re.search(
            r'<script id="atlas-map-config" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert config["filters"] == {"capability": "face", "status": "pilot"}


def test_an_unknown_filter_value_is_ignored_and_said(client, make_deployment):
    make_deployment(name="Plate reader", capabilities=[Capability.Kind.PLATE])
    response = client.get("/en/atlas/", {"capability": "mind-reading"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This value is unknown and was ignored." in html
    assert "Plate reader" in html


def test_the_page_and_its_scripts_name_no_other_site(client, make_deployment, make_device):
    make_device(make_deployment())
    for language in ("en", "de", "fr"):
        html = client.get(f"/{language}/atlas/").content.decode()
        assert ABSOLUTE.findall(html) == [], language
        assert "http:" not in html and "https:" not in html
    device_map = static_text("atlas/device-map.js")
    assert ABSOLUTE.findall(device_map) == []
    script = static_text("atlas/map.js")
    # map.js holds exactly two other addresses, in one constant used only by showTiles():
    # the tiles, and the page credited in their attribution (a link, not a request).
    assert sorted(ABSOLUTE.findall(script)) == [
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://www.openstreetmap.org/copyright",
    ]
    uses = [line for line in script.splitlines() if "STREET_MAP." in line]
    assert len(uses) == 2
    show_tiles = script[script.index("function showTiles") :]
    assert all(use.strip() in show_tiles for use in uses)


def test_only_the_map_page_allows_the_tiles(client, make_deployment, make_device):
    device = make_device(make_deployment(slug="safe-city"))
    on_map = csp_directives(client.get("/en/atlas/"))
    assert on_map["img-src"] == ["'self'", "data:", f"https://{TILE_HOST}"]
    assert on_map["script-src"] == ["'self'"]
    assert on_map["connect-src"] == ["'self'"]
    for path in (
        "/en/",
        reverse("atlas:list"),
        reverse("atlas:deployment", args=["safe-city"]),
        reverse("atlas:device", args=[device.pk]),
        reverse("atlas:clusters") + "?bbox=-180,-85,180,85&zoom=2",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert TILE_HOST not in response["Content-Security-Policy"], path


def test_the_base_layer_is_our_own_country_outlines():
    world = json.loads(static_text("atlas/world.geojson"))
    assert world["type"] == "FeatureCollection"
    assert len(world["features"]) > 150
    assert "Natural Earth" in world["source"]
    size = Path(str(finders.find("atlas/world.geojson"))).stat().st_size
    assert size < 250_000
    kinds = {feature["geometry"]["type"] for feature in world["features"]}
    assert kinds <= {"Polygon", "MultiPolygon"}


@pytest.mark.django_db
def test_the_device_page_map_include_draws_from_our_origin_only(make_device):
    device = make_device(None, latitude=44.8125, longitude=20.4612, direction=90)
    html = render_to_string("atlas/_device_map.html", {"device": device})
    assert 'data-latitude="44.8125"' in html and 'data-longitude="20.4612"' in html
    assert 'data-direction="90"' in html
    assert 'role="region"' in html
    assert "/static/atlas/device-map.js" in html and "/static/atlas/world.geojson" in html
    assert ABSOLUTE.findall(html) == []
