"""The newsroom's public pages: the list of articles in the page's language (all, or of one
tag), an article with its other language versions, and the organisers' list of lagging
translations."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from reclaim.core.decorators import staff_area
from reclaim.lib.markdown import render as render_markdown
from reclaim.news.access import get_article_editor, get_readable_article, may_preview
from reclaim.news.models import Article, Tag
from reclaim.news.services.articles import (
    is_visible,
    lagging_translations,
    tag_name,
    versions,
    visible,
)
from reclaim.news.views.comments import comments_context

# Articles per page of a list: a screenful of summaries, and a page that stays light.
PER_PAGE = 10
# The template the comments part of the newsroom shows under an article, if it is there.
COMMENTS_TEMPLATE = "news/_comments.html"


def _language() -> str:
    return str(get_language() or settings.LANGUAGE_CODE)


def _in_language(url_name: str, code: str, **kwargs: Any) -> str:
    with translation.override(code):
        return reverse(url_name, kwargs=kwargs or None)


def _other_lists(language: str, tag: Tag | None = None) -> list[dict[str, Any]]:
    """The lists in the other languages that have articles (of the tag), with their counts:
    the list shows one language, and says where the others are."""
    found = visible().exclude(language=language)
    if tag is not None:
        found = found.filter(tags=tag)
    counts = dict(
        found.order_by()
        .values_list("language")
        .annotate(n=Count("pk"))
        .values_list("language", "n")
    )
    others = []
    for code, name in settings.LANGUAGES:
        if not counts.get(code):
            continue
        url = (
            _in_language("news:tag", code, slug=tag.slug)
            if tag is not None
            else _in_language("news:index", code)
        )
        others.append({"code": code, "name": name, "count": counts[code], "url": url})
    return others


def _tags_of(language: str) -> list[dict[str, Any]]:
    """The tags of the language's visible articles, for the filter links."""
    used = Tag.objects.filter(articles__in=visible().filter(language=language)).distinct()
    return sorted(
        ({"slug": t.slug, "name": tag_name(t, language)} for t in used),
        key=lambda t: str(t["name"]).casefold(),
    )


def _list(request: HttpRequest, tag: Tag | None) -> HttpResponse:
    language = _language()
    found = visible().filter(language=language).prefetch_related("tags")
    if tag is not None:
        found = found.filter(tags=tag)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    feed = (
        reverse("news:tag_feed", kwargs={"slug": tag.slug})
        if tag is not None
        else reverse("news:feed")
    )
    return render(
        request,
        "news/list.html",
        {
            "page": page,
            "articles": [_card(article, language) for article in page],
            "tag": tag,
            "tag_label": tag_name(tag, language) if tag is not None else "",
            "tags": _tags_of(language),
            "others": _other_lists(language, tag),
            "feed_url": feed,
        },
    )


def _card(article: Article, language: str) -> dict[str, Any]:
    return {
        "article": article,
        "tags": [{"slug": t.slug, "name": tag_name(t, language)} for t in article.tags.all()],
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _list(request, None)


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    return _list(request, get_object_or_404(Tag, slug=slug))


def _fallback(request: HttpRequest, language: str, slug: str) -> Article | HttpResponse:
    """An address of another language's version (the language switcher keeps the slug):
    the reader's version if there is one, else the version found, shown as it is."""
    candidates = Article.objects.filter(slug=slug).exclude(language=language)
    readable = [a for a in candidates if is_visible(a) or may_preview(request.user)]
    if not readable:
        raise Http404
    found = readable[0]
    for version in versions(found):
        if version.language == language and (is_visible(version) or may_preview(request.user)):
            return redirect("news:article", slug=version.slug)
    return found


@cache
def _comments_template() -> str:
    try:
        get_template(COMMENTS_TEMPLATE)
    except TemplateDoesNotExist:
        return ""
    return COMMENTS_TEMPLATE


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language()
    try:
        shown: Article | HttpResponse = get_readable_article(request.user, language, slug)
    except Http404:
        shown = _fallback(request, language, slug)
    if isinstance(shown, HttpResponse):
        return shown
    preview = not is_visible(shown)
    others = [
        {
            "article": version,
            "url": _in_language("news:article", version.language, slug=version.slug),
            "name": dict(settings.LANGUAGES).get(version.language, version.language),
        }
        for version in versions(shown)
        if version.pk != shown.pk and is_visible(version)
    ]
    source = shown.source if shown.source_id else None
    source_url = (
        _in_language("news:article", source.language, slug=source.slug)
        if source is not None and is_visible(source)
        else ""
    )
    response = render(
        request,
        "news/article.html",
        {
            "article": shown,
            "body": mark_safe(render_markdown(shown.body)),  # noqa: S308 (sanitised by nh3)
            "tags": [{"slug": t.slug, "name": tag_name(t, language)} for t in shown.tags.all()],
            "author_url": reverse("coalition:organisation", kwargs={"slug": shown.author.slug})
            if shown.author is not None and shown.author.is_listed
            else "",
            "versions": others,
            "lags": shown.lags,
            "source": source,
            "source_url": source_url,
            "fallback": shown.language != language,
            "preview": preview,
            "comments_template": "" if preview else _comments_template(),
            # Readers' comments under the article (reclaim.news.views.comments).
            **({} if preview else comments_context(request, shown)),
        },
    )
    if preview:
        # A draft is for the staff member who opened it, never for a shared cache.
        response["Cache-Control"] = "private, no-store"
    return response


@staff_area
@require_GET
def lagging(request: HttpRequest) -> HttpResponse:
    get_article_editor(request.user)
    rows = [
        {
            "translation": found,
            "behind": found.source.revision - (found.source_revision or 0) if found.source else 0,
            "admin_url": reverse("admin:news_article_change", args=[found.pk]),
            "source_admin_url": reverse("admin:news_article_change", args=[found.source_id]),
        }
        for found in lagging_translations()
    ]
    return render(request, "news/article_lagging.html", {"rows": rows})
