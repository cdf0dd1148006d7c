"""Translations: made from a revision of their source, flagged to readers when the source
moves on, listed for organisers, and brought up to date."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from reclaim.audit.models import AuditEntry
from reclaim.news.models import Article
from reclaim.news.services.articles import (
    edit_article,
    lagging_translations,
    translate_article,
    update_translation,
)
from reclaim.news.tests.fixtures_articles import *  # noqa: F403

pytestmark = pytest.mark.django_db

NOTICE = "This translation may be out of date"


def test_a_translation_records_the_sources_revision(story):
    german = Article.objects.get(language="de", source=story)
    assert story.revision == 1
    assert german.source_revision == 1
    assert not german.lags


def test_only_a_content_edit_raises_the_revision(story):
    assert edit_article(story, "test", status=Article.Status.PUBLISHED) is False
    story.refresh_from_db()
    assert story.revision == 1
    edit_article(story, "test", body="A new paragraph.")
    story.refresh_from_db()
    assert story.revision == 2


def test_the_notice_appears_only_after_the_source_is_edited(client, story):
    assert NOTICE not in client.get("/de/news/parlament-abstimmung/").content.decode()
    edit_article(story, "test", title="Parliament calls for a ban, again")
    page = client.get("/de/news/parlament-abstimmung/").content.decode()
    assert NOTICE in page or "Diese Übersetzung" in page
    assert 'href="/en/news/parliament-vote/" hreflang="en"' in page
    # The source itself never says so.
    assert NOTICE not in client.get("/en/news/parliament-vote/").content.decode()


def test_updating_a_translation_from_the_current_source_clears_the_notice(client, story):
    edit_article(story, "test", body="Changed.")
    french = Article.objects.get(language="fr", source=story)
    assert list(lagging_translations()) == list(
        Article.objects.filter(source=story).order_by("language")
    )
    update_translation(french, "test", title=french.title, summary=french.summary, body="Modifié.")
    assert NOTICE not in client.get("/fr/news/vote-du-parlement/").content.decode()
    assert [t.language for t in lagging_translations()] == ["de"]


def test_one_translation_per_language_and_never_of_a_translation(story):
    german = Article.objects.get(language="de", source=story)
    with pytest.raises(ValidationError):
        translate_article(story, "de", "test", title="x", summary="x", body="x", slug="x")
    with pytest.raises(ValidationError):
        translate_article(story, "en", "test", title="x", summary="x", body="x", slug="y")
    with pytest.raises(ValidationError):
        translate_article(german, "fr", "test", title="x", summary="x", body="x", slug="z")


def test_organisers_see_the_lagging_translations(as_user, organiser, story):
    edit_article(story, "test", summary="New summary.")
    page = as_user(organiser).get("/en/news/staff/lagging-translations/").content.decode()
    assert "Parlament fordert ein Verbot" in page
    assert "Le Parlement demande une interdiction" in page


def test_the_lagging_page_is_closed_to_others(as_user, moderator, client, story):
    assert as_user(moderator).get("/en/news/staff/lagging-translations/").status_code == 403
    response = client.get("/en/news/staff/lagging-translations/")
    assert response.status_code == 302


def test_the_admin_save_bumps_the_revision_and_writes_an_audit_entry(as_user, organiser, story):
    client = as_user(organiser)
    url = f"/en/admin/news/article/{story.pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "language": "en",
        "slug": story.slug,
        "title": story.title,
        "summary": story.summary,
        "body": "An edited body.",
        "tags": [t.pk for t in story.tags.all()],
        "author": story.author_id,
        "status": "published",
        "published_at_0": story.published_at.strftime("%Y-%m-%d"),
        "published_at_1": story.published_at.strftime("%H:%M:%S"),
        "comments": story.comments,
        "source": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    assert story.revision == 2
    assert story.tags.count() == 1
    entry = AuditEntry.objects.filter(action="news.article_change").latest("pk")
    assert entry.actor == "alice" and entry.detail["fields"] == ["body"]
    # The translations now lag, and the admin can mark one up to date.
    german = Article.objects.get(language="de", source=story)
    assert german.lags
    german_url = f"/en/admin/news/article/{german.pk}/change/"
    assert "Made from revision 1" in client.get(german_url).content.decode()
    form.update(
        language="de",
        slug=german.slug,
        title=german.title,
        summary=german.summary,
        body="Neuer Text.",
        source=story.pk,
        up_to_date="on",
    )
    assert client.post(german_url, form).status_code == 302
    german.refresh_from_db()
    assert not german.lags and german.source_revision == 2


def test_the_admin_makes_a_translation_from_the_current_revision(as_user, organiser, write_article):
    source = write_article("english", body="First revision.")
    edit_article(source, "test", body="Second revision.")
    response = as_user(organiser).post(
        "/en/admin/news/article/add/",
        {
            "language": "fr",
            "slug": "anglais",
            "title": "Traduit",
            "summary": "Résumé.",
            "body": "Texte.",
            "status": "draft",
            "comments": "moderate_first",
            "source": source.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Article.objects.get(slug="anglais")
    assert made.source_id == source.pk and made.source_revision == 2
    assert AuditEntry.objects.filter(action="news.article_translate", target="article fr/anglais")


def test_the_admin_refuses_a_translation_in_the_sources_language(as_user, organiser, story):
    response = as_user(organiser).post(
        "/en/admin/news/article/add/",
        {
            "language": "en",
            "slug": "copy",
            "title": "Copy",
            "summary": "Copy.",
            "body": "Copy.",
            "status": "draft",
            "comments": "moderate_first",
            "source": story.pk,
        },
    )
    assert response.status_code == 200
    assert "A translation needs a language other than its source" in response.content.decode()
    assert not Article.objects.filter(slug="copy").exists()
