"""The demo's comments: every state, in the articles' languages, loaded once."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from reclaim.demo.steps import DemoContext
from reclaim.news.demo_articles import articles
from reclaim.news.demo_comments import comments
from reclaim.news.models import Comment


def test_the_demo_comments_cover_every_state_and_load_once(db, tmp_path: Path):
    context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0)
    articles(context)
    report = comments(context)
    assert not report.warnings
    states = set(Comment.objects.values_list("state", flat=True))
    assert states == {"pending", "published", "hidden", "rejected"}
    assert set(Comment.objects.values_list("article__language", flat=True)) == {"en", "de", "fr"}
    count = Comment.objects.count()
    comments(context)
    assert Comment.objects.count() == count
