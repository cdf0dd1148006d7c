"""Fixtures and helpers for the tests of readers' comments (import them in the tests)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from reclaim.mail.services import deliver_pending
from reclaim.news.models import Article, Comment

REPLY_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/news/comments/reply/[A-Za-z0-9_\-]+/)")
STOP_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/news/comments/stop/[A-Za-z0-9_:\-]+/)")
FORM = {"display_name": "Mara", "text": "Thank you for this report."}


@pytest.fixture
def make_article(db: Any) -> Callable[..., Article]:
    made = iter(range(1, 1000))

    def make(
        comments: str = Article.Comments.MODERATE_FIRST,
        status: str = Article.Status.PUBLISHED,
        language: str = "en",
        slug: str = "",
    ) -> Article:
        n = next(made)
        return Article.objects.create(
            language=language,
            slug=slug or f"article-{n}",
            title=f"Parliament votes on facial recognition {n}",
            summary="A summary.",
            body="The body of the article.",
            status=status,
            published_at=timezone.now() - timedelta(hours=1),
            comments=comments,
        )

    return make


@pytest.fixture
def held(make_article: Callable[..., Article]) -> Article:
    """An article whose comments wait for a moderator (the default)."""
    return make_article(slug="held")


@pytest.fixture
def open_article(make_article: Callable[..., Article]) -> Article:
    """An article whose comments are published at once and moderated after."""
    return make_article(Article.Comments.PUBLISH_FIRST, slug="open")


@pytest.fixture
def make_comment(db: Any) -> Callable[..., Comment]:
    def make(article: Article, state: str = Comment.State.PUBLISHED, **fields: Any) -> Comment:
        data: dict[str, Any] = {
            "article": article,
            "display_name": "Reader",
            "text": "A comment.",
            "state": state,
        }
        data.update(fields)
        return Comment.objects.create(**data)

    return make


def post_comment(client: Client, article: Article, capture: Any = None, **fields: str) -> Any:
    """Post the comment form (as a same-origin browser would), running on-commit work."""
    data = FORM | fields
    url = f"/{article.language}/news/{article.slug}/comments/"
    if capture is None:
        return client.post(url, data, HTTP_SEC_FETCH_SITE="same-origin")
    with capture(execute=True):
        return client.post(url, data, HTTP_SEC_FETCH_SITE="same-origin")


def report(client: Client, comment: Comment, network: str = "198.51.100.7") -> Any:
    return client.post(
        f"/en/news/comments/{comment.pk}/report/",
        HTTP_SEC_FETCH_SITE="same-origin",
        REMOTE_ADDR=network,
    )


def send_mail_now() -> None:
    """Send what the outbox holds, as the worker would."""
    deliver_pending()
