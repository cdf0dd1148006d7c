"""The newsroom in the public API (``/api/v1/news``): visible articles only (published, or
scheduled and due), exactly those the public pages show, with their text as sanitised HTML
and the list of their language versions."""

# No ``from __future__ import annotations``: django-ninja reads the Query[...] annotation
# of the view at import, and a string would leave its schema undefined.
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from reclaim.api.errors import Error
from reclaim.api.pagination import Pages
from reclaim.api.routers import ApiRouter
from reclaim.lib.markdown import render as render_markdown
from reclaim.news.access import get_public_article
from reclaim.news.models import Article
from reclaim.news.services.articles import is_visible, versions, visible

router = Router(tags=["news"])


def _url(article: Article, context: dict[str, Any]) -> str:
    with translation.override(article.language):
        path = reverse("news:article", kwargs={"slug": article.slug})
    return str(context["request"].build_absolute_uri(path))


class Version(Schema):
    language: str
    slug: str
    title: str
    url: str = Field(description="Its page on this site.")

    @staticmethod
    def resolve_url(obj: Article, context: dict[str, Any]) -> str:
        return _url(obj, context)


class ArticleSummary(Schema):
    language: str = Field(description="The language the article is written in.")
    slug: str
    title: str
    summary: str
    published_at: datetime | None
    author: str | None = Field(description="The author organisation's name, if any.")
    author_slug: str | None = Field(
        description="Its slug in the coalition directory (/api/v1/organisations/{slug})."
    )
    tags: list[str] = Field(description="The tags' slugs.")
    translation_of: str | None = Field(
        description='For a translation: the source\'s "language/slug".'
    )
    outdated: bool = Field(
        description="A translation made from an older revision of its source's text."
    )
    url: str = Field(description="Its page on this site.")

    @staticmethod
    def resolve_author(obj: Article) -> str | None:
        return obj.author.name if obj.author is not None else None

    @staticmethod
    def resolve_author_slug(obj: Article) -> str | None:
        return obj.author.slug if obj.author is not None and obj.author.is_listed else None

    @staticmethod
    def resolve_tags(obj: Article) -> list[str]:
        return [tag.slug for tag in obj.tags.all()]

    @staticmethod
    def resolve_translation_of(obj: Article) -> str | None:
        return f"{obj.source.language}/{obj.source.slug}" if obj.source is not None else None

    @staticmethod
    def resolve_outdated(obj: Article) -> bool:
        return obj.lags

    @staticmethod
    def resolve_url(obj: Article, context: dict[str, Any]) -> str:
        return _url(obj, context)


class ArticleDetail(ArticleSummary):
    html: str = Field(description="The text, rendered from Markdown and sanitised.")
    versions: list[Version] = Field(description="The article in the other languages.")

    @staticmethod
    def resolve_html(obj: Article) -> str:
        return render_markdown(obj.body)

    @staticmethod
    def resolve_versions(obj: Article) -> list[Article]:
        return [v for v in versions(obj) if v.pk != obj.pk and is_visible(v)]


class Filters(Schema):
    language: str | None = Field(None, description="A language code of the site (en, de, fr).")
    tag: str | None = Field(None, description="A tag's slug.")


@router.get(
    "",
    response=list[ArticleSummary],
    summary="Published articles, newest first",
    operation_id="list_articles",
)
@paginate(Pages)
def articles(request: HttpRequest, filters: Query[Filters]) -> QuerySet[Article]:
    found = visible().prefetch_related("tags")
    if filters.language:
        found = found.filter(language=filters.language)
    if filters.tag:
        found = found.filter(tags__slug=filters.tag)
    return found


@router.get(
    "/{language}/{slug}",
    response={200: ArticleDetail, 404: Error},
    summary="An article in one language, with its text and its other language versions",
    operation_id="get_article",
)
def article(request: HttpRequest, language: str, slug: str) -> Article:
    if language not in dict(settings.LANGUAGES):
        raise Http404
    return get_public_article(language, slug)


ROUTERS = [ApiRouter("news", router)]
