"""Petitions in the public API: published ones only, with the public counter's figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from reclaim.letters.models import Petition

pytestmark = pytest.mark.django_db


def _more_petitions(count: int) -> None:
    for n in range(count):
        Petition.objects.create(
            slug=f"more-{n}",
            title=f"Petition {n}",
            text="Text.",
            status=Petition.Status.OPEN,
            opens_at=timezone.now() - timedelta(days=2 + n),
            closes_at=timezone.now() + timedelta(days=30),
        )


def test_the_list_gives_published_petitions_with_their_totals(client, counted, letter):
    response = client.get("/api/v1/petitions")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    by_slug = {item["slug"]: item for item in data["items"]}
    assert set(by_slug) == {"ban", "letter"}
    ban = by_slug["ban"]
    assert ban["title"] == "Ban biometric mass surveillance"
    assert ban["kind"] == "petition"
    assert ban["status"] == "open"
    assert ban["accepting"] is True
    assert ban["goal"] == 100
    assert ban["total"] == 4
    assert ban["url"] == "http://testserver/en/p/ban/"
    assert by_slug["letter"]["kind"] == "letter"


def test_the_detail_gives_the_same_counts_as_the_public_counter(client, counted):
    counter = client.get("/api/petitions/ban/count.json").json()
    detail = client.get("/api/v1/petitions/ban").json()
    assert detail["counts"] == counter
    assert detail["counts"]["by_country"] == {"DE": 3, "FR": 1}
    assert detail["total"] == counter["total"] == 4
    assert detail["text"] == "First paragraph.\n\nSecond paragraph."
    assert detail["milestones"] == [2, 50]


def test_the_old_counter_address_still_answers_as_before(client, counted):
    response = client.get("/api/petitions/ban/count.json")
    assert response.status_code == 200
    assert set(response.json()) == {"petition", "total", "goal", "by_country", "updated_at"}
    assert f"max-age={settings.RECLAIM['COUNTER_MAX_AGE']}" in response["Cache-Control"]


def test_a_draft_is_not_listed_and_its_address_gives_a_json_404(client, petition, draft):
    slugs = [item["slug"] for item in client.get("/api/v1/petitions").json()["items"]]
    assert slugs == ["ban"]
    response = client.get("/api/v1/petitions/not-yet")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}
    assert "A draft nobody may see" not in response.content.decode()


def test_an_unknown_petition_and_an_unknown_address_give_a_json_404(client, db):
    for path in ("/api/v1/petitions/nope", "/api/v1/no-such-thing", "/api/v1/petitions/a/b"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}


def test_the_list_is_paginated(client, petition):
    _more_petitions(4)
    first = client.get("/api/v1/petitions?page_size=2").json()
    assert first["count"] == 5
    assert [item["slug"] for item in first["items"]] == ["ban", "more-0"]
    third = client.get("/api/v1/petitions?page_size=2&page=3").json()
    assert [item["slug"] for item in third["items"]] == ["more-3"]
    beyond = client.get("/api/v1/petitions?page_size=2&page=4").json()
    assert beyond == {"items": [], "count": 5}


def test_a_page_is_never_larger_than_the_maximum(client, petition):
    _more_petitions(4)
    limits = {**settings.RECLAIM, "API_PAGE_SIZE": 2, "API_MAX_PAGE_SIZE": 3}
    with override_settings(RECLAIM=limits):
        assert len(client.get("/api/v1/petitions").json()["items"]) == 2
        assert len(client.get("/api/v1/petitions?page_size=1000").json()["items"]) == 3


@pytest.mark.parametrize("query", ["page=0", "page=x", "page_size=0", "page=99999999999999"])
def test_a_bad_query_parameter_gives_a_clear_json_error(client, petition, query):
    response = client.get(f"/api/v1/petitions?{query}")
    assert response.status_code == 400
    data = response.json()
    assert data["detail"] == "A parameter of the request is not valid."
    assert data["errors"][0]["loc"][0] == "query"
    assert data["errors"][0]["loc"][1] in {"page", "page_size"}
    assert "Traceback" not in response.content.decode()


def test_an_error_in_a_view_gives_json_and_no_stack_trace(client, petition, monkeypatch):
    from reclaim.letters import api

    def broken(petition):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "counts_for", broken)
    for debug in (False, True):
        with override_settings(DEBUG=debug):
            response = client.get("/api/v1/petitions/ban")
        assert response.status_code == 500
        body = response.content.decode()
        assert "Traceback" not in body
        assert "secret internals" not in body
        assert response.json()["detail"]
