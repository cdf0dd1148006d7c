"""Readers' comments on articles: every write of that part goes through a function here.

A reader comments with a display name and a text, nothing else. The comment waits for a
moderator (``Article.Comments.MODERATE_FIRST``, the default) or is published at once and
moderated after (``PUBLISH_FIRST``); a closed article takes none. Readers report published
comments, one report per network (``reclaim.shield.network.source_key``: a keyed hash of
the day, never an address); ``RECLAIM["NEWS_COMMENT_REPORTS_TO_HIDE"]`` reports hide a
comment until a moderator decides. Moderators approve, reject or hide, one by one or in
bulk, each decision audited.

The reader may leave an address to be told of new comments on the article: double opt-in
(a mail whose link opens a page whose button confirms), stored encrypted at rest
(``reclaim.mail.addresses.seal_at_rest``) with a keyed hash for data-subject requests, and
erased ``NEWS_COMMENT_ADDRESS_DAYS`` after the comment (unconfirmed ones after
``CONFIRMATION_DAYS``). A confirmed address gets a mail when another comment on the same
article is published, at most one a day per article. Rejected comments are deleted
``NEWS_COMMENT_RETENTION_DAYS`` after the decision; published ones stay with their article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

from reclaim.audit.services import record
from reclaim.lib.emailhash import email_hash
from reclaim.lib.tokens import hash_token, looks_like_token, new_token
from reclaim.mail.addresses import open_at_rest, seal_at_rest
from reclaim.mail.services import queue_mail
from reclaim.news.models import Article, Comment, CommentReport
from reclaim.news.services.articles import is_visible

State = Comment.State
Mode = Article.Comments

REPLY_CONFIRM_MAIL = "news.comment_reply_confirm"
REPLY_MAIL = "news.comment_reply"

# What a moderator may do, and the state each action leads to.
ACTIONS: dict[str, str] = {
    "approve": State.PUBLISHED,
    "reject": State.REJECTED,
    "hide": State.HIDDEN,
}
# The states each action may start from (hiding is for what the public sees).
ACTION_FROM: dict[str, tuple[str, ...]] = {
    "approve": (State.PENDING, State.HIDDEN, State.REJECTED),
    "reject": (State.PENDING, State.HIDDEN, State.PUBLISHED),
    "hide": (State.PUBLISHED,),
}
# The stop link in a notification mail is signed, not stored: it works as long as the
# address is kept, and asks no row of its own.
STOP_SALT = "reclaim.news.comment-reply-stop"


class CommentsClosed(Exception):
    """The article takes no comments (closed, or not published)."""


@dataclass(frozen=True)
class CommentData:
    """What the form gives, checked."""

    display_name: str
    text: str
    reply_email: str = ""


# --- Deadlines -----------------------------------------------------------------------


def address_period() -> timedelta:
    return timedelta(days=settings.RECLAIM["NEWS_COMMENT_ADDRESS_DAYS"])


def confirmation_window() -> timedelta:
    # One rule for "how long a confirmation link works", as signatures and applications.
    return timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])


def rejected_period() -> timedelta:
    return timedelta(days=settings.RECLAIM["NEWS_COMMENT_RETENTION_DAYS"])


def address_deletion_date(created_at: datetime | None = None) -> datetime:
    """When an address left with a comment made at ``created_at`` (now) is erased."""
    return (created_at or timezone.now()) + address_period()


def reports_to_hide() -> int:
    return max(1, int(settings.RECLAIM["NEWS_COMMENT_REPORTS_TO_HIDE"]))


# --- Showing -------------------------------------------------------------------------

_PARAGRAPHS = re.compile(r"\n\s*\n")


def comment_html(text: str) -> SafeString:
    """The comment's text as HTML: everything escaped, addresses turned into links that
    search engines do not follow nor credit (``rel="nofollow ugc"``), paragraphs kept.

    ``urlize`` escapes the text and writes ``rel="nofollow"`` itself; a reader's own
    ``rel="nofollow"`` comes out escaped (``&quot;``), so only the attributes urlize wrote
    match the replacement."""
    paragraphs = [p.strip() for p in _PARAGRAPHS.split(text.replace("\r\n", "\n")) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        linked = urlize(paragraph, trim_url_limit=60, nofollow=True, autoescape=True)
        linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc"')
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped by urlize above


# The article page's URL name (reclaim.news.views.articles); the others are tried in case
# the name differs, and the plain path is the last resort.
ARTICLE_URL_NAMES = ("news:article", "news:article_detail", "news:detail")


def article_path(article: Article, anchor: str = "") -> str:
    """The article's page, in its own language, with ``#anchor`` when given."""
    path = ""
    with translation.override(article.language):
        for name in ARTICLE_URL_NAMES:
            try:
                path = reverse(name, kwargs={"slug": article.slug})
                break
            except NoReverseMatch:
                continue
        if not path:
            path = reverse("news:comment_post", kwargs={"slug": article.slug}).removesuffix(
                "comments/"
            )
    return f"{path}#{anchor}" if anchor else path


def published_comments(article: Article) -> QuerySet[Comment]:
    return Comment.objects.filter(article=article, state=State.PUBLISHED).order_by(
        "created_at", "pk"
    )


def accepts_comments(article: Article) -> bool:
    return is_visible(article) and article.comments != Mode.CLOSED


# --- Posting -------------------------------------------------------------------------


def post_comment(article: Article, data: CommentData, language: str) -> Comment:
    """Store a reader's comment, in one transaction: waiting for moderation, or published
    at once on an article that publishes first (its readers with a confirmed address are
    then told). An address for replies is sealed and gets the opt-in mail."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not accepts_comments(locked):
            raise CommentsClosed
        publish = locked.comments == Mode.PUBLISH_FIRST
        comment = Comment(
            article=locked,
            display_name=data.display_name,
            text=data.text,
            state=State.PUBLISHED if publish else State.PENDING,
        )
        if data.reply_email:
            comment.reply_email_sealed = seal_at_rest(data.reply_email)
            comment.email_hash = email_hash(data.reply_email)
        comment.save()
        if data.reply_email:
            queue_mail(REPLY_CONFIRM_MAIL, data.reply_email, language, comment.pk)
        if publish:
            notify_followers(comment)
    return comment


# --- Reply notifications -------------------------------------------------------------


def has_address(comment: Comment) -> bool:
    return bool(comment.reply_email_sealed) and comment.personal_data_erased_at is None


def can_confirm_reply(comment: Comment) -> bool:
    return (
        has_address(comment)
        and comment.reply_confirmed_at is None
        and timezone.now() < comment.created_at + confirmation_window()
    )


def issue_reply_token(comment: Comment) -> str:
    """A fresh secret for the opt-in link; only its hash is stored. Made when the mail is
    sent, so no link exists before the mail does."""
    token = new_token()
    Comment.objects.filter(pk=comment.pk).update(token_hash=hash_token(token))
    return token


def find_by_reply_token(token: str) -> Comment | None:
    if not looks_like_token(token):
        return None
    return (
        Comment.objects.select_related("article")
        .filter(token_hash=hash_token(token), personal_data_erased_at__isnull=True)
        .exclude(reply_email_sealed=None)
        .first()
    )


def confirm_reply(comment: Comment) -> bool:
    """Confirm the address by POST from the mailed link. Idempotent; an expired link
    confirms nothing (returns False)."""
    if comment.reply_confirmed_at is not None:
        return True
    if not can_confirm_reply(comment):
        return False
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, reply_confirmed_at__isnull=True).update(
            reply_confirmed_at=timezone.now()
        )
    comment.refresh_from_db()
    return bool(updated) or comment.reply_confirmed_at is not None


def stop_token(comment: Comment) -> str:
    return signing.dumps(comment.pk, salt=STOP_SALT)


def find_by_stop_token(value: str) -> Comment | None:
    if not 0 < len(value) <= 300:
        return None
    try:
        pk = signing.loads(value, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Comment.objects.select_related("article").filter(pk=pk).first()


def _address_cleared() -> dict[str, Any]:
    return {
        "reply_email_sealed": None,
        "email_hash": "",
        "token_hash": "",
        "reply_confirmed_at": None,
        "reply_notified_at": None,
    }


def stop_replies(comment: Comment) -> None:
    """The reader asked for no more mail about this article: their address is erased
    from every comment of theirs on it (all share the hash), now rather than later."""
    if not comment.email_hash:
        return
    with transaction.atomic():
        count = Comment.objects.filter(
            article_id=comment.article_id, email_hash=comment.email_hash
        ).update(**_address_cleared())
        record("system", "news.comment_reply_stopped", f"comment:{comment.pk}", count=count)


def followers(comment: Comment) -> dict[str, Comment]:
    """Per address hash, one comment of the article with a confirmed address that may be
    told of ``comment`` now: not its own writer's, and not told within the last day."""
    since = timezone.now() - timedelta(days=1)
    rows = (
        Comment.objects.filter(
            article_id=comment.article_id,
            reply_confirmed_at__isnull=False,
            personal_data_erased_at__isnull=True,
        )
        .exclude(reply_email_sealed=None)
        .exclude(email_hash="")
        .exclude(pk=comment.pk)
        .order_by("-created_at", "-pk")
    )
    if comment.email_hash:
        rows = rows.exclude(email_hash=comment.email_hash)
    recent = set(
        Comment.objects.filter(article_id=comment.article_id, reply_notified_at__gte=since)
        .exclude(email_hash="")
        .values_list("email_hash", flat=True)
    )
    chosen: dict[str, Comment] = {}
    for row in rows:
        if row.email_hash not in recent and row.email_hash not in chosen:
            chosen[row.email_hash] = row
    return chosen


def notify_followers(comment: Comment) -> int:
    """Queue one mail per confirmed address following the article (call it inside the
    transaction that publishes ``comment``). Returns how many were queued."""
    now = timezone.now()
    queued = 0
    for hashed, row in followers(comment).items():
        try:
            address = open_at_rest(row.reply_email_sealed or b"")
        except ValueError:
            # Its key is gone: nobody can be told, and nothing is gained by keeping it.
            continue
        queue_mail(REPLY_MAIL, address, row.article.language, row.pk, {"new": comment.pk})
        Comment.objects.filter(article_id=comment.article_id, email_hash=hashed).update(
            reply_notified_at=now
        )
        queued += 1
    return queued


# --- Reports -------------------------------------------------------------------------


def report_comment(comment: Comment, source_hash: str) -> bool:
    """Count one reader's report (one per network and comment; a second is ignored). The
    report that reaches the threshold hides the comment until a moderator decides.
    Returns whether the report counted."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.state != State.PUBLISHED:
            return False
        try:
            with transaction.atomic():
                CommentReport.objects.create(comment=locked, source_hash=source_hash)
        except IntegrityError:
            return False
        Comment.objects.filter(pk=locked.pk).update(reports=F("reports") + 1)
        locked.refresh_from_db(fields=["reports"])
        if locked.reports >= reports_to_hide():
            Comment.objects.filter(pk=locked.pk).update(state=State.HIDDEN)
            record(
                "system",
                "news.comment_hidden_by_reports",
                f"comment:{locked.pk}",
                count=locked.reports,
                article=locked.article_id,
            )
    return True


# --- Moderation ----------------------------------------------------------------------


def moderation_queue(state: str = "", article_id: int | None = None) -> QuerySet[Comment]:
    """Comments for moderators: those waiting (pending, hidden) first, oldest first among
    them, then the others newest first."""
    rows = Comment.objects.select_related("article")
    if state:
        rows = rows.filter(state=state)
    if article_id is not None:
        rows = rows.filter(article_id=article_id)
    return rows.order_by(
        # Waiting ones (0) before decided ones (1).
        _waiting_first(),
        "created_at",
        "pk",
    )


def _waiting_first() -> Case:
    return Case(
        When(state__in=[State.PENDING, State.HIDDEN], then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def moderate(comments: Iterable[Comment], action: str, actor: Any) -> int:
    """Apply one moderator's action to the comments, in one transaction, with an audit
    entry per comment changed. Comments the action does not apply to are left alone.
    Publishing a comment tells the article's followers. Returns how many changed."""
    if action not in ACTIONS:
        raise ValueError(action)
    target = ACTIONS[action]
    ids = [c.pk for c in comments]
    changed = 0
    with transaction.atomic():
        rows = (
            Comment.objects.select_for_update()
            .select_related("article")
            .filter(pk__in=ids, state__in=ACTION_FROM[action])
            .order_by("pk")
        )
        for comment in rows:
            before = comment.state
            comment.state = target
            comment.moderated_at = timezone.now()
            comment.save(update_fields=["state", "moderated_at"])
            record(
                actor,
                f"news.comment_{action}",
                f"comment:{comment.pk}",
                article=comment.article_id,
                before=before,
            )
            if target == State.PUBLISHED:
                # A comment hidden by reports and approved starts over: earlier reports
                # were weighed by the moderator.
                comment.reports_made.all().delete()
                Comment.objects.filter(pk=comment.pk).update(reports=0)
                notify_followers(comment)
            changed += 1
    return changed


# --- Retention and data-subject requests -------------------------------------------


def expired_addresses() -> QuerySet[Comment]:
    """Comments whose reply address is due: past the address period, or never confirmed
    within the confirmation window."""
    now = timezone.now()
    return Comment.objects.exclude(reply_email_sealed=None).filter(
        Q(created_at__lt=now - address_period())
        | Q(reply_confirmed_at__isnull=True, created_at__lt=now - confirmation_window())
    )


def purge_addresses() -> int:
    with transaction.atomic():
        due = list(expired_addresses().values_list("pk", flat=True))
        count = Comment.objects.filter(pk__in=due).update(**_address_cleared())
        if count:
            record("system", "news.comment_address_purge", count=count)
    return count


def expired_rejected() -> QuerySet[Comment]:
    cutoff = timezone.now() - rejected_period()
    return Comment.objects.filter(state=State.REJECTED).filter(
        Q(moderated_at__lt=cutoff) | Q(moderated_at__isnull=True, created_at__lt=cutoff)
    )


def purge_rejected() -> int:
    with transaction.atomic():
        due = list(expired_rejected().values_list("pk", flat=True))
        CommentReport.objects.filter(comment_id__in=due).delete()
        Comment.objects.filter(pk__in=due).delete()
        count = len(due)
        if count:
            record("system", "news.comment_rejected_purge", count=count)
    return count


def found_for(address_hash: str) -> QuerySet[Comment]:
    return (
        Comment.objects.select_related("article")
        .filter(email_hash=address_hash, personal_data_erased_at__isnull=True)
        .exclude(email_hash="")
        .order_by("created_at", "pk")
    )


def erase_for_request(ids: list[int]) -> int:
    """A data-subject request's erasure: comments the public never saw (waiting, hidden,
    rejected) are deleted; a published one keeps its text, loses its address and shows
    no name any more. Returns how many comments were erased or deleted."""
    with transaction.atomic():
        rows = Comment.objects.filter(pk__in=ids, personal_data_erased_at__isnull=True)
        unseen = list(rows.exclude(state=State.PUBLISHED).values_list("pk", flat=True))
        CommentReport.objects.filter(comment_id__in=unseen).delete()
        Comment.objects.filter(pk__in=unseen).delete()
        kept = Comment.objects.filter(pk__in=ids, personal_data_erased_at__isnull=True).update(
            display_name="", personal_data_erased_at=timezone.now(), **_address_cleared()
        )
        count = len(unseen) + kept
        record("system", "news.comment_erase", count=count)
    return count
