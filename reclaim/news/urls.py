"""The news pages, under /<language>/news/. Each part keeps its own URL list."""

from django.urls import include, path, re_path

from reclaim.news.views import articles, feeds, images

app_name = "news"

urlpatterns = [
    path("", articles.index, name="index"),
    path("feed.atom", feeds.latest, name="feed"),
    path("tag/<slug:slug>/", articles.tag, name="tag"),
    path("tag/<slug:slug>/feed.atom", feeds.by_tag, name="tag_feed"),
    re_path(
        r"^images/(?P<pk>[0-9]+)-(?P<version>[0-9a-f]{1,16})\.(?P<ext>png|jpg)$",
        images.image,
        name="image",
    ),
    path("staff/lagging-translations/", articles.lagging, name="lagging"),
    # --- The comments part's URLs (reclaim/news/urls_comments.py) -----------------------
    path("", include("reclaim.news.urls_comments")),
    # ---------------------------------------------------------------------------------------
    # Last: an article's address is any other slug.
    path("<slug:slug>/", articles.article, name="article"),
]
