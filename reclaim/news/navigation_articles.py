"""The front page's block of the latest articles (listed in navigation.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from reclaim.news.services.articles import visible

# The front page shows the latest few articles in the visitor's language.
FRONT_PAGE_ARTICLES = 3


def latest_articles(request: HttpRequest) -> dict[str, Any] | None:
    """The latest articles in the page's language, or None (no block) when there are none."""
    language = str(get_language() or settings.LANGUAGE_CODE)
    articles = list(visible().filter(language=language)[:FRONT_PAGE_ARTICLES])
    if not articles:
        return None
    return {"articles": articles}
