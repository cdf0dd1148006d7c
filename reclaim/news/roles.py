"""What the staff roles may do in the newsroom. Each part adds its grants here."""

from reclaim.core.hooks import MODERATOR, ORGANISER, Grant

PERMISSIONS = [
    # Articles, translations, tags and images: written in the admin; the lagging
    # translations page needs news.change_article.
    Grant(
        ORGANISER,
        [
            "news.view_article",
            "news.add_article",
            "news.change_article",
            "news.delete_article",
            "news.view_tag",
            "news.add_tag",
            "news.change_tag",
            "news.view_image",
            "news.add_image",
            "news.change_image",
            "news.delete_image",
        ],
    ),
    # Readers' comments: the moderation queue at /news/moderation/.
    Grant(ORGANISER, ["news.moderate_comment"]),
    Grant(MODERATOR, ["news.moderate_comment"]),
]
