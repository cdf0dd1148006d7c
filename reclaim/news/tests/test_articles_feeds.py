"""Atom feeds per language and per tag: well-formed for a strict parser, with ids, dates,
authors and links."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from reclaim.news.models import Article
from reclaim.news.tests.fixtures_articles import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _parse(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_the_language_feed_lists_its_articles_with_ids_dates_authors_and_links(
    client, story, write_article
):
    write_article("hidden", status=Article.Status.DRAFT)
    write_article("older", title="Older & <wiser>", published_at=timezone.now() - timedelta(days=3))
    parsed = _parse(client, "/en/news/feed.atom")
    assert parsed.feed.id and parsed.feed.updated
    assert parsed.feed.language == "en" or parsed.feed.get("language") in (None, "en")
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["Parliament calls for a ban", "Older & <wiser>"]
    first = parsed.entries[0]
    assert first.link == "http://testserver/en/news/parliament-vote/"
    assert first.id.startswith("tag:testserver,")
    assert first.author == "epicenter.works"
    assert first.published_parsed and first.updated_parsed
    assert first.summary == "MEPs adopted a report."
    assert "<strong>report</strong>" in first.content[0].value
    assert [t.term for t in first.tags] == ["Facial recognition"]
    assert parsed.entries[1].author == "reclaim"
    assert {link.rel for link in parsed.feed.links} >= {"self", "alternate"}


def test_the_german_feed_has_the_german_versions(client, story):
    parsed = _parse(client, "/de/news/feed.atom")
    assert [entry.title for entry in parsed.entries] == ["Parlament fordert ein Verbot"]
    assert parsed.entries[0].tags[0].term == "Gesichtserkennung"


def test_the_tag_feed_lists_only_the_tags_articles(client, story, write_article):
    write_article("untagged", title="Untagged")
    parsed = _parse(client, "/en/news/tag/facial-recognition/feed.atom")
    assert [entry.title for entry in parsed.entries] == ["Parliament calls for a ban"]
    assert "Facial recognition" in parsed.feed.title
    assert client.get("/en/news/tag/nothing/feed.atom").status_code == 404


def test_an_empty_feed_is_still_valid(client, db):
    parsed = _parse(client, "/fr/news/feed.atom")
    assert parsed.entries == []
    assert parsed.feed.updated
