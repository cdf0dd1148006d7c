"""Atom feeds of the newsroom (Django's syndication framework): the latest articles of a
language, and of a tag in a language. Each entry carries its summary and its sanitised
text, a stable id (a tag URI from its address and first publication date), its dates and
its author organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reclaim.lib.markdown import render as render_markdown
from reclaim.news.models import Article, Tag
from reclaim.news.services.articles import tag_name, visible

# Entries per feed: readers poll it, they do not browse it.
ENTRIES = 20
# Who the feed says wrote an article without an author organisation.
SITE_AUTHOR = "reclaim"


def _language() -> str:
    # Read per request (the URL's language), never kept on the feed: one Feed instance
    # serves every request of the process.
    return str(get_language() or settings.LANGUAGE_CODE)


class ArticleAtom(Atom1Feed):
    """Atom with each article's full text (``<content type="html">``) beside its summary."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestArticles(Feed):
    feed_type = ArticleAtom
    author_name = SITE_AUTHOR

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def articles(self, obj: Any) -> QuerySet[Article]:
        return visible().filter(language=_language()).prefetch_related("tags")

    def title(self, obj: Any) -> str:
        return _("reclaim news")

    def subtitle(self, obj: Any) -> str:
        return _("The latest articles of the campaign.")

    def link(self, obj: Any) -> str:
        return reverse("news:index")

    def feed_url(self, obj: Any) -> str:
        return reverse("news:feed")

    def items(self, obj: Any) -> list[Article]:
        return list(self.articles(obj)[:ENTRIES])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return reverse("news:article", kwargs={"slug": item.slug})

    def item_pubdate(self, item: Article) -> datetime:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Article) -> datetime:
        # Never before its publication: a scheduled article written long before it appears.
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_author_name(self, item: Article) -> str:
        return item.author.name if item.author is not None else SITE_AUTHOR

    def item_categories(self, item: Article) -> list[str]:
        return [tag_name(tag, _language()) for tag in item.tags.all()]

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        return {
            "content_html": render_markdown(item.body),
            "created_on": item.created_at.date().isoformat(),
            "article_pk": item.pk,
        }

    def get_feed(self, obj: Any, request: HttpRequest) -> Any:
        feed = super().get_feed(obj, request)
        # A tag URI (RFC 4151) from our host, the day the article was written and its
        # number: it stays the same when staff change the article's address or publication
        # date, so readers never see an article twice.
        host = request.get_host().split(":")[0]
        for item in feed.items:
            item["unique_id"] = f"tag:{host},{item['created_on']}:news/{item['article_pk']}"
        return feed


class TagArticles(LatestArticles):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Tag:
        return get_object_or_404(Tag, slug=kwargs["slug"])

    def articles(self, obj: Tag) -> QuerySet[Article]:
        return super().articles(obj).filter(tags=obj)

    def title(self, obj: Tag) -> str:
        return _("reclaim news: %(tag)s") % {"tag": tag_name(obj, _language())}

    def subtitle(self, obj: Tag) -> str:
        return _("The latest articles about %(tag)s.") % {"tag": tag_name(obj, _language())}

    def link(self, obj: Tag) -> str:
        return reverse("news:tag", kwargs={"slug": obj.slug})

    def feed_url(self, obj: Tag) -> str:
        return reverse("news:tag_feed", kwargs={"slug": obj.slug})
