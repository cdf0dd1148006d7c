"""The moderators' queue of readers' comments: waiting ones first, one or many at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from reclaim.core.decorators import staff_area
from reclaim.news.access_comments import get_comment_moderator
from reclaim.news.forms_comments import ModerationFilterForm, ModerationForm
from reclaim.news.models import Article, Comment
from reclaim.news.services import comments as services

PER_PAGE = 50


def _articles() -> list[tuple[int, str]]:
    """Articles that have comments, for the filter."""
    rows = Article.objects.filter(all_comments__isnull=False).distinct().order_by("title")
    return [(a.pk, f"{a.title} ({a.language})") for a in rows]


@staff_area
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    user = get_comment_moderator(request.user)
    if request.method == "POST":
        posted = [int(v) for v in request.POST.getlist("comments") if v.isdigit()]
        one = request.POST.get("one", "")
        if one.partition(":")[2].isdigit():
            posted.append(int(one.partition(":")[2]))
        ids = list(Comment.objects.filter(pk__in=posted).values_list("pk", flat=True))
        form = ModerationForm(request.POST, ids=ids)
        if form.is_valid():
            action = form.cleaned_data["action"]
            chosen = Comment.objects.filter(pk__in=form.cleaned_data["comments"])
            count = services.moderate(chosen, action, user)
            messages.success(
                request,
                ngettext("%(count)d comment changed.", "%(count)d comments changed.", count)
                % {"count": count},
            )
        else:
            for error in form.non_field_errors():
                messages.error(request, str(error))
        back = request.POST.get("back", "")
        # Back to the same filters; only a query string of our own page is followed.
        return redirect(request.path + (back if back.startswith("?") else ""))
    filters = ModerationFilterForm(request.GET or None, articles=_articles())
    state, article_id = "", None
    if filters.is_valid():
        state = filters.cleaned_data["state"] or ""
        article_id = filters.cleaned_data["article"]
    rows = services.moderation_queue(state, article_id)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    waiting = Comment.objects.filter(
        state__in=[Comment.State.PENDING, Comment.State.HIDDEN]
    ).count()
    return render(
        request,
        "news/staff/moderation.html",
        {
            "filters": filters,
            "page": page,
            "rows": [(c, services.comment_html(c.text)) for c in page.object_list],
            "waiting": waiting,
            "query": request.GET.urlencode(),
            "title": _("Comments to moderate"),
        },
    )
