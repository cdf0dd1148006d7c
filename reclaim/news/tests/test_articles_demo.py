"""The newsroom's demo step: three stories in three languages, one translation lagging."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from reclaim.coalition.demo_directory import organisations
from reclaim.demo.steps import DemoContext
from reclaim.news.demo_articles import articles
from reclaim.news.models import Article
from reclaim.news.services.articles import lagging_translations


def test_the_demo_writes_three_stories_in_three_languages_once(db, tmp_path: Path, client):
    context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0)
    organisations(context)
    report = articles(context)
    articles(context)
    assert not report.warnings
    assert Article.objects.filter(source__isnull=True).count() == 3
    for language in ("en", "de", "fr"):
        assert Article.objects.filter(language=language).count() == 3
    assert [(t.language, t.source.slug) for t in lagging_translations()] == [
        ("fr", "stop-facial-recognition-now")
    ]
    assert not Article.objects.filter(author__isnull=True).exists()
    page = client.get("/fr/news/arreter-la-reconnaissance-faciale/").content.decode()
    assert "This translation may be out of date" in page or "traduction" in page
    assert client.get("/de/news/").status_code == 200


def test_the_demo_writes_without_authors_when_the_directory_is_empty(db, tmp_path: Path):
    context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0)
    report = articles(context)
    assert Article.objects.count() == 9
    assert report.warnings
