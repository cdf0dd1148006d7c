"""The staff pages that write, preview, test and send newsletter issues.

Writing needs ``newsletter.change_issue`` (and ``add_issue`` for a new one); the test to
oneself, sending and cancelling need ``newsletter.send_issue`` as well. Every page is in the
staff area: signed in, past the second factor.
"""

from __future__ import annotations

from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclaim.core.decorators import staff_area
from reclaim.newsletter.access_sending import (
    SEND_PERMISSION,
    get_creator,
    get_issue_for_sender,
    get_issue_for_writer,
    get_writer,
)
from reclaim.newsletter.forms_sending import IssueForm, SendForm
from reclaim.newsletter.models import Issue
from reclaim.newsletter.services import issues as services
from reclaim.newsletter.services.sending import progress

LIST_LIMIT = 200


@staff_area
@require_GET
def issues(request: HttpRequest) -> HttpResponse:
    get_writer(request.user)
    rows = list(Issue.objects.select_related("mailing_list")[:LIST_LIMIT])
    return render(
        request,
        "newsletter/staff/issues.html",
        {"rows": [(issue, progress(issue)) for issue in rows]},
    )


@staff_area
@require_http_methods(["GET", "POST"])
def issue_new(request: HttpRequest) -> HttpResponse:
    user = get_creator(request.user)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = services.create_issue(
            user,
            form.cleaned_data["mailing_list"],
            form.cleaned_data["subject"],
            form.cleaned_data["body"],
        )
        return redirect("newsletter:staff_issue_preview", issue.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "newsletter/staff/issue_form.html", {"form": form}, status=status)


@staff_area
@require_http_methods(["GET", "POST"])
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_writer(request.user, pk)
    if issue.status != Issue.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed. Cancel the schedule first."))
        return redirect("newsletter:staff_issue_preview", issue.pk)
    initial = {"mailing_list": issue.mailing_list, "subject": issue.subject, "body": issue.body}
    form = IssueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_issue(issue, request.user, **form.cleaned_data)
        except services.IssueError as error:
            messages.error(request, str(error))
        return redirect("newsletter:staff_issue_preview", issue.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "newsletter/staff/issue_form.html", {"form": form, "issue": issue}, status=status
    )


def _preview_page(
    request: HttpRequest, issue: Issue, send_form: SendForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "newsletter/staff/issue_preview.html",
        {
            "issue": issue,
            "mail": services.preview(issue),
            "can_send": request.user.has_perm(SEND_PERMISSION),
            "send_form": send_form or SendForm(),
            "progress": progress(issue),
        },
        status=status,
    )


@staff_area
@require_GET
def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    return _preview_page(request, get_issue_for_writer(request.user, pk))


@staff_area
@require_GET
@xframe_options_sameorigin
# The mail's own <style> (mail programs read no stylesheet files) applies in the preview
# too: inline style is allowed for this staff-only, sandboxed frame and nowhere else.
@csp_replace({"frame-ancestors": [SELF], "style-src": [SELF, UNSAFE_INLINE]})  # type: ignore[arg-type]  # typed for (request) only
def issue_preview_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The mail's HTML part on its own, for the preview page's frame: exactly what a mail
    program gets (the frame is sandboxed: no script, no form, no navigation of the page)."""
    issue = get_issue_for_writer(request.user, pk)
    return HttpResponse(services.preview(issue)["html"], content_type="text/html; charset=utf-8")


@staff_area
@require_POST
def issue_test(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_sender(request.user, pk)
    try:
        services.send_test(issue, request.user)
    except services.IssueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A test is on its way to your own address."))
    return redirect("newsletter:staff_issue_preview", issue.pk)


@staff_area
@require_POST
def issue_send(request: HttpRequest, pk: int) -> HttpResponse:
    """The first POST shows what will happen and to how many; the confirmation's POST
    (``confirmed``) does it."""
    issue = get_issue_for_sender(request.user, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        return _preview_page(request, issue, send_form=form, status=400)
    data: dict[str, Any] = form.cleaned_data
    if not data["confirmed"]:
        return render(
            request,
            "newsletter/staff/issue_confirm.html",
            {
                "issue": issue,
                "when": data["when"],
                "send_at": data.get("send_at"),
                "send_at_value": data["send_at"].strftime("%Y-%m-%dT%H:%M")
                if data.get("send_at")
                else "",
                "count": services.count_recipients(issue),
            },
        )
    try:
        if data["when"] == "at":
            services.schedule_issue(issue, data["send_at"], request.user)
            messages.success(request, _("The issue is scheduled."))
        else:
            services.send_now(issue, request.user)
            messages.success(request, _("The issue is being sent. Its counts appear below."))
    except services.IssueError as error:
        messages.error(request, str(error))
        return redirect("newsletter:staff_issue_preview", issue.pk)
    return redirect("newsletter:staff_issues")


@staff_area
@require_POST
def issue_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_sender(request.user, pk)
    try:
        services.cancel_issue(issue, request.user)
    except services.IssueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The schedule is cancelled; the issue is a draft again."))
    return redirect("newsletter:staff_issue_preview", issue.pk)
