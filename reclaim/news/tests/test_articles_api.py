"""The newsroom in the public API: visible articles, filtered by language and tag, and one
article with its HTML and its other language versions."""

from __future__ import annotations

import pytest

from reclaim.news.models import Article
from reclaim.news.services.articles import edit_article
from reclaim.news.tests.fixtures_articles import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_the_list_has_the_visible_articles_filtered_by_language_and_tag(
    client, story, write_article
):
    write_article("draft", status=Article.Status.DRAFT)
    write_article("untagged")
    everything = client.get("/api/v1/news").json()
    assert everything["count"] == 4
    english = client.get("/api/v1/news?language=en").json()["items"]
    assert {item["slug"] for item in english} == {"parliament-vote", "untagged"}
    tagged = client.get("/api/v1/news?language=de&tag=facial-recognition").json()["items"]
    assert [item["slug"] for item in tagged] == ["parlament-abstimmung"]
    assert tagged[0]["translation_of"] == "en/parliament-vote"
    assert tagged[0]["author_slug"] == "epicenter-works"
    assert tagged[0]["url"] == "http://testserver/de/news/parlament-abstimmung/"


def test_an_article_comes_with_its_html_and_versions(client, story):
    edit_article(story, "test", body="The **report** asks. <script>alert(1)</script>")
    found = client.get("/api/v1/news/fr/vote-du-parlement").json()
    assert found["outdated"] is True
    assert {v["language"] for v in found["versions"]} == {"en", "de"}
    source = client.get("/api/v1/news/en/parliament-vote").json()
    assert "<strong>report</strong>" in source["html"] and "<script>" not in source["html"]


def test_an_unknown_article_is_a_json_404(client, db):
    response = client.get("/api/v1/news/xx/nothing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
