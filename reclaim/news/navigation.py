"""Where the news app appears: the header, the front page and the staff area. Each part
adds its items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reclaim.core.hooks import Link, Section, StaffLink
from reclaim.news.navigation_articles import latest_articles

# Articles (navigation_articles.py): the header's "News" and the front page's latest.
LINKS = [Link(_("News"), "news:index")]

SECTIONS = [Section("news.latest", "news/_front.html", latest_articles)]

STAFF_LINKS = [
    StaffLink(
        _("News"),
        "news.change_article",
        lambda: [
            (_("Articles"), reverse("admin:news_article_changelist")),
            (_("Images for articles"), reverse("admin:news_image_changelist")),
            (_("Lagging translations"), reverse("news:lagging")),
        ],
    ),
    StaffLink(
        _("Readers' comments"),
        "news.moderate_comment",
        lambda: [(_("Comments to moderate"), reverse("news:moderation"))],
    ),
]
