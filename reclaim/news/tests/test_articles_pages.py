"""The public pages of articles: lists per language and tag, an article with its versions,
the front page's block, and what visitors may not see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reclaim.news.models import Article
from reclaim.news.services.articles import publish, schedule, unpublish
from reclaim.news.tests.fixtures_articles import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_page_languages_articles_newest_first(client, write_article):
    write_article("older", title="Older news", published_at=timezone.now() - timedelta(days=2))
    write_article("newer", title="Newer news")
    write_article("deutsch", language="de", title="Deutsche Nachricht")
    page = client.get("/en/news/").content.decode()
    assert page.index("Newer news") < page.index("Older news")
    assert "Deutsche Nachricht" not in page
    # The others are one link away, with their count.
    assert 'href="/de/news/" hreflang="de" lang="de"' in page
    assert "1 article" in page


def test_the_list_is_paginated(client, write_article):
    for number in range(12):
        write_article(f"n{number}", published_at=timezone.now() - timedelta(hours=number + 1))
    first = client.get("/en/news/").content.decode()
    assert "Title of n0<" in first and "Title of n10<" not in first
    assert 'rel="next"' in first
    second = client.get("/en/news/?page=2").content.decode()
    assert "Title of n10<" in second and "Title of n11<" in second
    assert client.get("/en/news/?page=nonsense").status_code == 200


def test_a_tag_lists_its_articles_and_names_itself_in_the_page_language(client, write_article, tag):
    write_article("tagged", title="Tagged one", tags=[tag])
    write_article("plain", title="Plain one")
    write_article("getaggt", language="de", title="Getaggter", tags=[tag])
    page = client.get("/en/news/tag/facial-recognition/").content.decode()
    assert "Tagged one" in page and "Plain one" not in page
    assert "News about Facial recognition" in page
    german = client.get("/de/news/tag/facial-recognition/").content.decode()
    assert "Gesichtserkennung" in german and "Getaggter" in german
    assert client.get("/en/news/tag/nothing-here/").status_code == 404
    # The list's tag filter links.
    assert 'href="/en/news/tag/facial-recognition/"' in client.get("/en/news/").content.decode()


def test_list_pages_announce_their_atom_feeds(client, write_article, tag):
    write_article("tagged", tags=[tag])
    page = client.get("/en/news/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/en/news/feed.atom"' in page
    tagged = client.get("/en/news/tag/facial-recognition/").content.decode()
    assert 'href="/en/news/tag/facial-recognition/feed.atom"' in tagged


def test_an_article_shows_its_date_author_tags_text_and_other_versions(client, story):
    page = client.get("/en/news/parliament-vote/").content.decode()
    assert "<h1" in page and "Parliament calls for a ban" in page
    assert "<strong>report</strong>" in page
    assert 'href="/en/coalition/epicenter-works/"' in page
    assert 'href="/en/news/tag/facial-recognition/"' in page
    assert 'href="/de/news/parlament-abstimmung/" hreflang="de" lang="de"' in page
    assert 'href="/fr/news/vote-du-parlement/" hreflang="fr" lang="fr"' in page
    assert "This translation may be out of date" not in page


def test_the_date_is_written_in_the_readers_language(client, write_article):
    write_article("datiert", language="de", published_at=timezone.now().replace(month=3, day=5))
    page = client.get("/de/news/datiert/").content.decode()
    assert "5. März" in page


def test_the_other_languages_address_leads_to_the_readers_version(client, story):
    response = client.get("/de/news/parliament-vote/")
    assert response.status_code == 302
    assert response["Location"] == "/de/news/parlament-abstimmung/"


def test_an_article_without_a_version_in_the_readers_language_is_shown_as_it_is(
    client, write_article
):
    write_article("english-only", title="Only in English")
    response = client.get("/de/news/english-only/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<article lang="en"' in page and "Only in English" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"status": Article.Status.SCHEDULED, "published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "unpublished", "future"],
)
def test_drafts_unpublished_and_future_articles_are_not_found(client, write_article, fields):
    write_article("hidden", title="Hidden article", **fields)
    assert client.get("/en/news/hidden/").status_code == 404
    assert "Hidden article" not in client.get("/en/news/").content.decode()
    assert client.get("/en/news/feed.atom").content.decode().count("Hidden article") == 0
    assert client.get("/api/v1/news/en/hidden").status_code == 404


def test_a_scheduled_article_appears_when_its_time_comes(client, write_article):
    article = write_article("later", status=Article.Status.DRAFT)
    schedule(article, timezone.now() + timedelta(hours=1), "test")
    assert client.get("/en/news/later/").status_code == 404
    schedule(article, timezone.now() - timedelta(seconds=1), "test")
    assert client.get("/en/news/later/").status_code == 200


def test_publishing_and_unpublishing_go_through_the_service_with_an_audit_entry(
    client, write_article
):
    from reclaim.audit.models import AuditEntry

    article = write_article("flip", status=Article.Status.DRAFT, published_at=None)
    publish(article, "test")
    assert article.published_at is not None
    assert client.get("/en/news/flip/").status_code == 200
    unpublish(article, "test")
    assert client.get("/en/news/flip/").status_code == 404
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"news.article_create", "news.article_publish", "news.article_unpublish"} <= actions


def test_staff_who_edit_articles_may_preview_a_draft(as_user, organiser, outsider, write_article):
    write_article("draft", title="Work in progress", status=Article.Status.DRAFT)
    response = as_user(organiser).get("/en/news/draft/")
    assert response.status_code == 200
    assert "Preview for staff" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert as_user(outsider).get("/en/news/draft/").status_code == 404


def test_the_front_page_shows_the_latest_three_in_the_visitors_language(client, write_article):
    for number in range(4):
        write_article(f"n{number}", published_at=timezone.now() - timedelta(hours=number + 1))
    write_article("deutsch", language="de", title="Deutsche Nachricht")
    page = client.get("/en/").content.decode()
    assert "Latest news" in page
    assert "Title of n0" in page and "Title of n2" in page and "Title of n3" not in page
    assert "Deutsche Nachricht" not in page
    assert 'href="/en/news/"' in page  # the header's "News"


def test_the_front_page_has_no_news_block_without_articles(client, db):
    assert "Latest news" not in client.get("/en/").content.decode()


def test_an_empty_list_says_so(client, db):
    page = client.get("/fr/news/").content.decode()
    assert client.get("/fr/news/").status_code == 200
    assert "<h1" in page
