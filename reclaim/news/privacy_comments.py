"""What readers' comments hold about an email address (listed in ``privacy.py``): only
comments whose writer left an address for reply notifications can be found by it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from reclaim.news.models import Comment
from reclaim.news.services import comments as services
from reclaim.privacy.registry import Finder, Found, Text


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _row(comment: Comment) -> dict[str, Any]:
    return {
        "article": comment.article.title,
        "article_language": comment.article.language,
        "display_name": comment.display_name,
        "text": comment.text,
        "state": comment.state,
        "written_at": _when(comment.created_at),
        "reply_notifications_confirmed_at": _when(comment.reply_confirmed_at),
        "address_deleted_on": _when(services.address_deletion_date(comment.created_at)),
    }


def _shown(comment: Comment) -> list[tuple[Text, Any]]:
    return [
        (_("Article"), comment.article.title),
        (_("Name shown"), comment.display_name),
        (_("Comment"), comment.text),
        (_("State"), comment.get_state_display()),
        (_("Written"), comment.created_at),
        (_("Reply notifications"), comment.reply_confirmed_at or _("not confirmed")),
        (_("Address deleted on"), services.address_deletion_date(comment.created_at)),
    ]


def comments(email_hash: str) -> Found:
    found = list(services.found_for(email_hash))
    ids = [c.pk for c in found]
    return Found(
        label=_("Comments on news articles"),
        rows=[_row(c) for c in found],
        erase=lambda: services.erase_for_request(ids),
        note=_(
            "Erasing deletes your comments that were not published, and removes your address"
            " and your name from the published ones: their text stays under the article,"
            " without a name."
        ),
        shown=[_shown(c) for c in found],
    )


FINDERS = [Finder("news_comments", comments)]
