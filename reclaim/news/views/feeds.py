"""The newsroom's Atom feeds as views (the feeds themselves are in ``reclaim.news.feeds``)."""

from __future__ import annotations

from reclaim.news.feeds import LatestArticles, TagArticles

latest = LatestArticles()
by_tag = TagArticles()
