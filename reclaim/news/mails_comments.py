"""The mails about readers' comments, built when the outbox sends them (listed in
``mails.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail
from reclaim.news.models import Comment
from reclaim.news.services import comments as services


def _path(language: str, name: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=list(args))


def _comment(mail: OutgoingMail) -> Comment | None:
    if mail.object_id is None:
        return None
    return Comment.objects.select_related("article").filter(pk=mail.object_id).first()


def reply_confirm(mail: OutgoingMail) -> Letter | None:
    """The opt-in: a link to the page whose button confirms the address."""
    comment = _comment(mail)
    if comment is None or not services.can_confirm_reply(comment):
        return None
    # The token is made now, at sending time, so no link exists before the mail does.
    token = services.issue_reply_token(comment)
    return Letter(
        "news-comment-reply-confirm",
        {
            "article": comment.article,
            "link": _path(mail.language, "news:comment_reply_confirm", token),
            "deadline": comment.created_at + services.confirmation_window(),
            "deletion_date": services.address_deletion_date(comment.created_at),
        },
    )


def reply(mail: OutgoingMail) -> Letter | None:
    """A new comment was published under an article the reader follows."""
    comment = _comment(mail)
    if comment is None or not services.has_address(comment) or comment.reply_confirmed_at is None:
        return None
    new = Comment.objects.filter(pk=mail.params.get("new"), state=Comment.State.PUBLISHED).first()
    if new is None:
        return None
    article = comment.article
    return Letter(
        "news-comment-reply",
        {
            "article": article,
            "new": new,
            "link": services.article_path(article, f"comment-{new.pk}"),
            "stop_link": _path(
                mail.language, "news:comment_reply_stop", services.stop_token(comment)
            ),
            "deletion_date": services.address_deletion_date(comment.created_at),
        },
    )


MAILS = [
    Mail(services.REPLY_CONFIRM_MAIL, reply_confirm),
    Mail(services.REPLY_MAIL, reply),
]
