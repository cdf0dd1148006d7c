"""The newsroom's admin: each part registers its models in its own module."""

from reclaim.news import admin_articles  # noqa: F401 (articles, translations, tags, images)
