"""Who may comment, report and moderate comments. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from reclaim.accounts.access import get_staff_with
from reclaim.news.models import Article, Comment
from reclaim.news.services.articles import is_visible, visible_q

MODERATE_PERMISSION = "news.moderate_comment"


def get_article_for_comments(language: str, slug: str) -> Article:
    """The published article readers see at /<language>/news/<slug>/ (a closed one too:
    its page says comments are closed)."""
    article = (
        Article.objects.filter(visible_q(), slug=slug, language=language)
        .select_related("author")
        .first()
    )
    if article is None:
        raise Http404
    return article


def get_reportable_comment(pk: int) -> Comment:
    """A published comment under a published article: the only ones a reader can see."""
    comment = (
        Comment.objects.select_related("article")
        .filter(pk=pk)
        .filter(state=Comment.State.PUBLISHED)
        .first()
    )
    if comment is None:
        raise Http404
    if not is_visible(comment.article):
        raise Http404
    return comment


def get_comment_moderator(user: Any) -> Any:
    """The user, if a signed-in staff member who may moderate comments (moderators and
    organisers)."""
    return get_staff_with(user, MODERATE_PERMISSION)
