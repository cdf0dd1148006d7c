"""Who may read which article, and who may see the organisers' newsroom pages. Each
condition on its own line."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from reclaim.accounts.access import get_staff_with
from reclaim.news.models import Article, Image
from reclaim.news.services.articles import is_visible

# Staff who edit articles may read one before it is public (the admin's "view on site"),
# and see the list of lagging translations.
EDIT_PERMISSION = "news.change_article"


def may_preview(user: Any) -> bool:
    """Whether the user may read articles that are not public yet."""
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if not user.is_staff:
        return False
    return bool(user.has_perm(EDIT_PERMISSION))


def get_readable_article(user: Any, language: str, slug: str) -> Article:
    """The article at /<language>/news/<slug>/: a visible one to anyone, any to staff who
    edit articles (a preview)."""
    article = (
        Article.objects.filter(language=language, slug=slug)
        .select_related("author", "source")
        .first()
    )
    if article is None:
        raise Http404
    if is_visible(article):
        return article
    if may_preview(user):
        return article
    raise Http404


def get_public_article(language: str, slug: str) -> Article:
    """A visible article, for the API and feeds: no preview there."""
    article = (
        Article.objects.filter(language=language, slug=slug)
        .select_related("author", "source")
        .first()
    )
    if article is None:
        raise Http404
    if not is_visible(article):
        raise Http404
    return article


def get_image(pk: int) -> Image:
    """An image of the newsroom. Images are public once uploaded: an article only shows
    what staff chose to show, and the address carries a version nobody guesses."""
    image = Image.objects.filter(pk=pk).first()
    if image is None:
        raise Http404
    return image


def get_article_editor(user: Any) -> Any:
    """The user, if a signed-in staff member who may edit articles (organisers)."""
    return get_staff_with(user, EDIT_PERMISSION)
