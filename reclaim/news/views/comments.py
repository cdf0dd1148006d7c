"""Readers' comments: the block under an article, posting, reporting, reply opt-in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclaim.core.crossorigin import public_form
from reclaim.news.access_comments import get_article_for_comments, get_reportable_comment
from reclaim.news.forms_comments import CommentForm, EmptyForm
from reclaim.news.models import Article, Comment
from reclaim.news.services import comments as services
from reclaim.shield.guard import guard, refusal
from reclaim.shield.network import source_key

# The scopes the forms are guarded under (reclaim.shield), per article.
COMMENT_SCOPE = "news.comment"
REPORT_SCOPE = "news.comment_report"
_NETWORK = gettext_lazy("Too many comments from your network right now.")
REFUSALS = {
    "source_burst": _NETWORK,
    "source_sustained": _NETWORK,
    "domain_burst": gettext_lazy(
        "Too many comments with addresses at your email provider right now."
    ),
}


def comments_context(
    request: HttpRequest, article: Article, form: CommentForm | None = None
) -> dict[str, Any]:
    """What ``news/_comments.html`` needs under an article page. The page stays the same
    for every reader (no token, no challenge: shield/pow.js fetches one when needed)."""
    comments = [
        (comment, services.comment_html(comment.text))
        for comment in services.published_comments(article)
    ]
    deletion_date = services.address_deletion_date()
    # In the article's language: a reader of /fr/ may be shown an English article.
    with translation.override(article.language):
        post_url = reverse("news:comment_post", kwargs={"slug": article.slug})
    return {
        "comment_post_url": post_url,
        "comment_article": article,
        "comment_list": comments,
        "comments_open": services.accepts_comments(article),
        "comments_held": article.comments == Article.Comments.MODERATE_FIRST,
        "comment_form": form or CommentForm(deletion_date=deletion_date),
        "comment_pow_scope": COMMENT_SCOPE,
        "comment_deletion_date": deletion_date,
    }


def _closed(request: HttpRequest, article: Article) -> HttpResponse:
    return render(
        request,
        "news/comment_closed.html",
        {"article": article, "article_url": services.article_path(article)},
        status=403,
    )


@public_form
@require_POST
def post(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_article_for_comments(request.LANGUAGE_CODE, slug)
    if not services.accepts_comments(article):
        return _closed(request, article)
    form = CommentForm(request.POST, deletion_date=services.address_deletion_date())
    status = 400
    refused = None
    if form.is_valid():
        data = form.comment_data()
        # Counted before anything is stored: a refused attempt leaves only the counters.
        verdict = guard(request, COMMENT_SCOPE, target=article.pk, email=data.reply_email)
        if verdict.allowed:
            try:
                comment = services.post_comment(article, data, request.LANGUAGE_CODE)
            except services.CommentsClosed:
                return _closed(request, article)
            if comment.state == Comment.State.PUBLISHED:
                return redirect(services.article_path(article, f"comment-{comment.pk}"))
            return redirect("news:comment_waiting", slug=article.slug)
        refused = verdict
        status = 429
    context = comments_context(request, article, form) | {
        "article": article,
        "article_url": services.article_path(article),
        "refusal": refusal(refused, REFUSALS) if refused else None,
    }
    response = render(request, "news/comment_form.html", context, status=status)
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


@require_GET
def waiting(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_article_for_comments(request.LANGUAGE_CODE, slug)
    return render(
        request,
        "news/comment_waiting.html",
        {"article": article, "article_url": services.article_path(article)},
    )


@public_form
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """One reader's report. The answer is the same whether it counted or not (a second
    report from the same network is ignored), so it says nothing about other readers."""
    comment = get_reportable_comment(pk)
    article = comment.article
    context = {"article": article, "article_url": services.article_path(article)}
    verdict = guard(request, REPORT_SCOPE, target=article.pk)
    if not verdict.allowed:
        context["refusal"] = refusal(verdict)
        response = render(request, "news/comment_reported.html", context, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    services.report_comment(comment, source_key(request))
    return render(request, "news/comment_reported.html", context)


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def reply_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed opt-in link. GET only shows a page (mail scanners follow links); its
    button POSTs, and only that confirms."""
    comment = services.find_by_reply_token(token)
    if comment is None:
        return render(request, "news/comment_link_invalid.html", status=404)
    context: dict[str, Any] = {
        "article": comment.article,
        "article_url": services.article_path(comment.article),
        "deletion_date": services.address_deletion_date(comment.created_at),
    }
    if comment.reply_confirmed_at is not None:
        return render(request, "news/comment_reply_confirmed.html", context)
    if not services.can_confirm_reply(comment):
        return render(request, "news/comment_link_invalid.html", status=410)
    if request.method == "POST":
        form = EmptyForm(request.POST)
        if form.is_valid() and services.confirm_reply(comment):
            return redirect("news:comment_reply_confirm", token=token)
    return render(request, "news/comment_reply_confirm.html", context)


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def reply_stop(request: HttpRequest, value: str) -> HttpResponse:
    """The stop link in a notification mail: GET shows, the button erases the address."""
    comment = services.find_by_stop_token(value)
    if comment is None:
        return render(request, "news/comment_link_invalid.html", status=404)
    context: dict[str, Any] = {
        "article": comment.article,
        "article_url": services.article_path(comment.article),
    }
    if not services.has_address(comment):
        return render(request, "news/comment_reply_stopped.html", context)
    if request.method == "POST":
        form = EmptyForm(request.POST)
        if form.is_valid():
            services.stop_replies(comment)
            return redirect("news:comment_reply_stop", value=value)
    return render(request, "news/comment_reply_stop.html", context)
