"""What every answer of the API gets: read-only, open to other sites for reading, cacheable,
throttled, and its schema and docs served from our own origin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/api/v1/petitions",
    "/api/v1/petitions/ban",
    "/api/v1/initiatives",
    "/api/v1/openapi.json",
    "/api/v1/docs",
]


@pytest.mark.parametrize("path", ADDRESSES)
def test_any_site_may_read_an_answer(client, petition, path):
    response = client.get(path, HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    head = client.head(path)
    assert head.status_code == 200
    assert head["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_allows_reading_and_nothing_else(client, petition):
    response = client.options(
        "/api/v1/petitions",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/petitions", "/api/v1/petitions/ban", "/api/v1/x"])
def test_a_write_is_refused_with_405_and_no_cors_header(client, petition, method, path):
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.json()["detail"]


def test_an_answer_may_be_kept_by_browsers_and_proxies_for_the_set_time(client, petition):
    with override_settings(RECLAIM={**settings.RECLAIM, "API_MAX_AGE": 17}):
        response = client.get("/api/v1/petitions/ban")
    assert response["Cache-Control"] == "public, max-age=17"


def test_an_error_is_never_kept_by_a_cache(client, petition):
    assert client.get("/api/v1/petitions/nope")["Cache-Control"] == "no-store"


def test_an_unchanged_answer_is_not_sent_again(client, petition):
    first = client.get("/api/v1/petitions/ban")
    etag = first["ETag"]
    again = client.get("/api/v1/petitions/ban", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again["Cache-Control"].startswith("public")
    changed = client.get("/api/v1/petitions/ban", HTTP_IF_NONE_MATCH='"something-else"')
    assert changed.status_code == 200


def test_a_network_past_its_limit_gets_429_with_retry_after(client, petition, held_clock):
    limits = {
        **settings.RECLAIM,
        "THROTTLES_BY_SCOPE": {"api.read": {"source_burst": (3, 60)}},
    }
    with override_settings(RECLAIM=limits):
        answers = [client.get("/api/v1/petitions", REMOTE_ADDR="198.51.100.7") for _ in range(4)]
        other = client.get("/api/v1/petitions", REMOTE_ADDR="203.0.113.9")
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused["Content-Type"].startswith("application/json")
    assert "Too many requests" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert other.status_code == 200  # another network is not held back


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_the_schema_is_openapi_3_with_every_endpoint(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "reclaim public API"
    assert schema["info"]["version"] == "1"
    paths = schema["paths"]
    for path in (
        "/api/v1/petitions",
        "/api/v1/petitions/{slug}",
        "/api/v1/initiatives",
        "/api/v1/initiatives/{slug}",
    ):
        assert set(paths[path]) == {"get"}, path
        operation = paths[path]["get"]
        assert operation["operationId"]
        assert "200" in operation["responses"]
    # Every reference points at a schema that is there.
    components = schema["components"]["schemas"]
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in components, ref
    detail = components["PetitionDetail"]["properties"]
    assert "counts" in detail
    states = components["StateFigures"]["properties"]
    assert {"threshold", "online", "register", "paper", "combined"} <= set(states)


def test_the_docs_page_loads_only_from_our_own_origin(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    assert any(url.endswith("swagger-ui.css") for url in urls)
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
    # No inline script to run: a script is a file, or data the file reads.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "cdn" not in html.lower()
    # The site's policy applies as it is: scripts and styles from our origin only.
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_root_says_where_the_schema_and_docs_are(client, db):
    data = client.get("/api/v1/").json()
    assert data["openapi"] == "http://testserver/api/v1/openapi.json"
    assert data["docs"] == "http://testserver/api/v1/docs"
