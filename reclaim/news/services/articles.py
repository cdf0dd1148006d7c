"""Articles and their translations: every write staff make to an article.

An article's ``revision`` is raised here, and only here, when its title, summary or body
changes: a translation records the revision of its source it was made from, and lags once
the source has moved on. Publication is a status and a date: a scheduled article becomes
visible when its date passes, read at query time (``visible``), so no job has to run on
the minute for it to appear, and a clock set back shows nothing early.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.audit.services import record
from reclaim.news.models import Article, Tag

# The fields whose change makes a new revision (and leaves translations behind).
CONTENT_FIELDS = ("title", "summary", "body")
# Every field staff may set through ``save_article``.
EDITABLE_FIELDS = (
    "language",
    "slug",
    "title",
    "summary",
    "body",
    "author",
    "status",
    "published_at",
    "comments",
)

S = Article.Status


def visible_q(now: datetime | None = None) -> Q:
    """Articles the public may read: published, or scheduled and due."""
    now = now or timezone.now()
    return Q(status=S.PUBLISHED) | Q(status=S.SCHEDULED, published_at__lte=now)


def visible(now: datetime | None = None) -> QuerySet[Article]:
    """Visible articles, newest first."""
    return (
        Article.objects.filter(visible_q(now))
        .select_related("author", "source")
        .order_by("-published_at", "-pk")
    )


def is_visible(article: Article, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if article.status == S.PUBLISHED:
        return True
    return (
        article.status == S.SCHEDULED
        and article.published_at is not None
        and article.published_at <= now
    )


def _target(article: Article) -> str:
    return f"article {article.language}/{article.slug}"


def _check_status(article: Article) -> None:
    if article.status == S.SCHEDULED and article.published_at is None:
        raise ValidationError(
            {"published_at": _("A scheduled article needs its publication date.")},
            code="no_date",
        )


def _settle_dates(article: Article, now: datetime) -> None:
    # Published without a date: now. A scheduled date already passed stays as given (it is
    # visible at once, dated as planned).
    if article.status == S.PUBLISHED and article.published_at is None:
        article.published_at = now


def create_article(actor: Any, *, tags: Iterable[Tag] | None = None, **fields: Any) -> Article:
    """A new source article (revision 1) from ``EDITABLE_FIELDS``."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"create_article() got unknown fields {sorted(unknown)}")
    with transaction.atomic():
        article = Article(**fields)
        _check_status(article)
        _settle_dates(article, timezone.now())
        article.full_clean(exclude=["author", "source", "tags"])
        article.save()
        if tags is not None:
            article.tags.set(list(tags))
        record(actor, "news.article_create", target=_target(article), status=article.status)
    return article


def save_article(
    article: Article,
    actor: Any,
    *,
    tags: Iterable[Tag] | None = None,
    up_to_date: bool = False,
) -> bool:
    """Keep staff's edits of ``article`` (its fields already set, as a form leaves them).
    Raises the revision when the title, summary or body changed; ``up_to_date`` marks a
    translation as made from its source's current revision. A new article (no pk) is
    created. Returns whether the content changed."""
    if article.pk is None:
        with transaction.atomic():
            article.revision = 1
            if article.source_id is not None:
                source = Article.objects.select_for_update().get(pk=article.source_id)
                _check_translation(source, article.language)
                article.source_revision = source.revision
            _check_status(article)
            _settle_dates(article, timezone.now())
            article.save()
            if tags is not None:
                article.tags.set(list(tags))
            record(
                actor,
                "news.article_translate" if article.source_id else "news.article_create",
                target=_target(article),
                status=article.status,
            )
        return True
    with transaction.atomic():
        stored = Article.objects.select_for_update().get(pk=article.pk)
        changed = [
            name for name in CONTENT_FIELDS if getattr(stored, name) != getattr(article, name)
        ]
        # Two organisers editing at once: the revision counts from the stored one.
        article.revision = stored.revision + (1 if changed else 0)
        if article.source_id is not None and up_to_date:
            source = Article.objects.get(pk=article.source_id)
            article.source_revision = source.revision
        elif article.source_id is not None and article.source_id != stored.source_id:
            source = Article.objects.get(pk=article.source_id)
            _check_translation(source, article.language, exclude=article.pk)
            article.source_revision = source.revision
        else:
            article.source_revision = stored.source_revision
        _check_status(article)
        _settle_dates(article, timezone.now())
        article.save()
        if tags is not None:
            article.tags.set(list(tags))
        detail: dict[str, Any] = {"fields": changed, "revision": article.revision}
        if stored.status != article.status:
            detail["status"] = article.status
        if up_to_date and article.source_id:
            detail["up_to_date"] = True
        record(actor, "news.article_change", target=_target(article), **detail)
    return bool(changed)


def _check_translation(source: Article, language: str, exclude: int | None = None) -> None:
    if source.source_id is not None:
        raise ValidationError(
            {"source": _("Translate the source article, not one of its translations.")},
            code="source_is_translation",
        )
    if source.language == language:
        raise ValidationError(
            {"language": _("A translation needs a language other than its source's.")},
            code="same_language",
        )
    taken = Article.objects.filter(source=source, language=language)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(
            {"language": _("This article has a translation in that language already.")},
            code="translated",
        )


def translate_article(
    source: Article,
    language: str,
    actor: Any,
    *,
    title: str,
    summary: str,
    body: str,
    slug: str,
    status: str = S.DRAFT,
    published_at: datetime | None = None,
) -> Article:
    """A translation of ``source`` into ``language``, made from its current revision. It
    takes the source's author and tags; its own status and date."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=source.pk)
        _check_translation(locked, language)
        translation = Article(
            language=language,
            slug=slug,
            title=title,
            summary=summary,
            body=body,
            author_id=locked.author_id,
            status=status,
            published_at=published_at,
            comments=locked.comments,
            source=locked,
            source_revision=locked.revision,
        )
        _check_status(translation)
        _settle_dates(translation, timezone.now())
        translation.full_clean(exclude=["author", "source", "tags"])
        translation.save()
        translation.tags.set(list(locked.tags.all()))
        record(
            actor,
            "news.article_translate",
            target=_target(translation),
            source=_target(locked),
            source_revision=locked.revision,
        )
    return translation


def update_translation(
    translation: Article, actor: Any, *, title: str, summary: str, body: str
) -> Article:
    """New text for a translation, brought up to its source's current revision."""
    translation.title = title
    translation.summary = summary
    translation.body = body
    save_article(translation, actor, up_to_date=True)
    return translation


def edit_article(article: Article, actor: Any, **fields: Any) -> bool:
    """Change some of ``EDITABLE_FIELDS`` of an article (a script's or the demo's edit)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"edit_article() got unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(article, name, value)
    return save_article(article, actor)


def _set_status(
    article: Article, actor: Any, status: str, action: str, when: datetime | None
) -> Article:
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        locked.status = status
        if when is not None:
            locked.published_at = when
        _check_status(locked)
        _settle_dates(locked, timezone.now())
        locked.save(update_fields=["status", "published_at", "updated_at"])
        record(
            actor,
            action,
            target=_target(locked),
            published_at=locked.published_at.isoformat() if locked.published_at else None,
        )
    article.status, article.published_at = locked.status, locked.published_at
    return article


def publish(article: Article, actor: Any) -> Article:
    """Visible now; an article published before keeps its first date."""
    return _set_status(article, actor, S.PUBLISHED, "news.article_publish", None)


def unpublish(article: Article, actor: Any) -> Article:
    """No longer visible (its address answers 404), kept for staff."""
    return _set_status(article, actor, S.UNPUBLISHED, "news.article_unpublish", None)


def schedule(article: Article, when: datetime, actor: Any) -> Article:
    """Visible from ``when`` on."""
    return _set_status(article, actor, S.SCHEDULED, "news.article_schedule", when)


def delete_article(article: Article, actor: Any) -> None:
    """Delete an article (and its translations, if it is a source)."""
    with transaction.atomic():
        target = _target(article)
        translations = list(article.translations.values_list("language", flat=True))
        article.delete()
        record(actor, "news.article_delete", target=target, translations=translations)


def lagging_translations() -> QuerySet[Article]:
    """Translations made from an older revision of their source, the longest behind first
    by date of the source's last edit."""
    from django.db.models import F

    return (
        Article.objects.filter(source__isnull=False)
        .filter(Q(source_revision__isnull=True) | Q(source_revision__lt=F("source__revision")))
        .select_related("source")
        .order_by("source__updated_at", "source_id", "language")
    )


def versions(article: Article) -> list[Article]:
    """Every version of the article (its source and the source's translations), itself
    included, in the order of the site's languages."""
    from django.conf import settings

    root_id = article.source_id or article.pk
    family = list(
        Article.objects.filter(Q(pk=root_id) | Q(source_id=root_id)).select_related("source")
    )
    order = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
    return sorted(family, key=lambda a: (order.get(a.language, 99), a.language))


def set_tag(slug: str, names: dict[str, str], actor: Any) -> Tag:
    """Create or rename a tag (the demo's and scripts' way; the admin edits tags itself)."""
    with transaction.atomic():
        tag, created = Tag.objects.get_or_create(slug=slug, defaults={"names": names})
        if not created and tag.names != names:
            tag.names = names
            tag.save(update_fields=["names"])
        record(actor, "news.tag_change", target=f"tag {slug}", created=created)
    return tag


def save_tag(tag: Tag, actor: Any) -> Tag:
    """Keep a tag staff added or renamed in the admin."""
    with transaction.atomic():
        created = tag.pk is None
        tag.save()
        record(actor, "news.tag_change", target=f"tag {tag.slug}", created=created)
    return tag


def tag_name(tag: Tag, language: str) -> str:
    """The tag's name in ``language``, else in the site's default language, else its slug."""
    from django.conf import settings

    names = tag.names or {}
    return str(names.get(language) or names.get(settings.LANGUAGE_CODE) or tag.slug)
