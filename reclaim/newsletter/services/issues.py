"""Writing an issue, previewing it, a test to oneself, and deciding when it goes out.

The mail a subscriber gets is rendered from the issue's Markdown by ``render_issue``, the
same function the preview uses, so what staff see is what goes out. The HTML is the
sanitised output of reclaim.lib.markdown (images only from our own origin, no script, no
style); links stay exactly as written, except that an address on our own site written as a
path (``/en/news/...``) gets our origin in front, since a mail has no page to be relative
to. Nothing is rewritten to pass through us: no tracking redirect, no pixel.

The actual sending is services/sending.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from reclaim.audit.services import record
from reclaim.lib import emails
from reclaim.lib.markdown import plain_text, render
from reclaim.mail.services import queue_mail
from reclaim.newsletter.models import Issue, MailingList
from reclaim.newsletter.services.sending import ISSUE_TEMPLATE, TEST_MAIL, recipients

Status = Issue.Status

# A path on our own site in the sanitised HTML: href="/..." or src="/..." (never "//host").
_OWN_PATH_HTML = re.compile(r'(\s(?:href|src)=")/(?!/)')
# The same in the Markdown kept as the text part: [text](/path) and [ref]: /path.
_OWN_PATH_TEXT = re.compile(r"(\]\(|\]:[ \t]*)/(?!/)")


class IssueError(ValueError):
    """A step that the issue's state does not allow; the message is shown to staff."""


@dataclass(frozen=True)
class RenderedIssue:
    html: SafeString
    text: str


@lru_cache(maxsize=32)
def _render(body: str, base_url: str) -> tuple[str, str]:
    # Cached: one issue goes to thousands of subscribers with the same body, and parsing and
    # sanitising it once per mail would be most of the sender's work.
    html = _OWN_PATH_HTML.sub(lambda m: f"{m.group(1)}{base_url}/", render(body))
    text = _OWN_PATH_TEXT.sub(lambda m: f"{m.group(1)}{base_url}/", plain_text(body))
    return html, text


def render_issue(issue: Issue) -> RenderedIssue:
    html, text = _render(issue.body, settings.BASE_URL)
    return RenderedIssue(html=mark_safe(html), text=text)  # noqa: S308 - sanitised by nh3


def mail_context(issue: Issue, unsubscribe_page: str) -> dict[str, Any]:
    """What the issue's mail templates get: the same for the preview, the test and the
    real mail, but for the unsubscribe link."""
    rendered = render_issue(issue)
    return {
        "issue": issue,
        "list_name": issue.mailing_list.name,
        "html_body": rendered.html,
        "text_body": rendered.text,
        "unsubscribe_url": unsubscribe_page,
    }


def example_unsubscribe_url(issue: Issue) -> str:
    """The unsubscribe link of a preview or a test: it leads to the real page, which says
    the link belongs to no subscription (staff are not subscribers of what they test)."""
    with translation.override(issue.mailing_list.language):
        return settings.BASE_URL + reverse("newsletter:unsubscribe", args=["example"])


def preview(issue: Issue) -> dict[str, str]:
    """Subject, text and HTML exactly as the mail builds them (emails.build)."""
    message = emails.build(
        ISSUE_TEMPLATE,
        "preview@invalid",
        mail_context(issue, example_unsubscribe_url(issue)),
        issue.mailing_list.language,
    )
    html = next(
        (str(content) for content, mimetype in message.alternatives if mimetype == "text/html"),
        "",
    )
    return {"subject": str(message.subject), "text": str(message.body), "html": html}


# --- Writing ---------------------------------------------------------------------------


def _require_draft(issue: Issue) -> None:
    if issue.status != Status.DRAFT:
        raise IssueError(_("Only a draft can be changed. Cancel the schedule first."))


def create_issue(actor: Any, mailing_list: MailingList, subject: str, body: str) -> Issue:
    with transaction.atomic():
        issue = Issue.objects.create(
            mailing_list=mailing_list, subject=subject, body=body, created_by=actor
        )
        record(actor, "newsletter.issue_write", target=f"issue {issue.pk}")
    return issue


def update_issue(
    issue: Issue, actor: Any, *, mailing_list: MailingList, subject: str, body: str
) -> Issue:
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        _require_draft(issue)
        issue.mailing_list = mailing_list
        issue.subject = subject
        issue.body = body
        issue.save(update_fields=["mailing_list", "subject", "body"])
        record(actor, "newsletter.issue_write", target=f"issue {issue.pk}")
    return issue


# --- A test to oneself -----------------------------------------------------------------


def send_test(issue: Issue, actor: Any) -> None:
    """Queue the issue to the staff member's own address, marked as a test in the subject.

    The address is the account's; it is not stored anywhere but in the outbox until sent."""
    address = (getattr(actor, "email", "") or "").strip()
    if not address:
        raise IssueError(_("Your account has no email address to send the test to."))
    with transaction.atomic():
        queue_mail(TEST_MAIL, address, issue.mailing_list.language, object_id=issue.pk)
        record(actor, "newsletter.issue_test", target=f"issue {issue.pk}")


# --- When it goes out ------------------------------------------------------------------


def count_recipients(issue: Issue) -> int:
    """The confirmed subscriptions that would get the issue if it went out now."""
    return recipients(issue, at=timezone.now()).count()


def send_now(issue: Issue, actor: Any) -> Issue:
    """Start sending at once: the sending job picks the issue up at its next turn."""
    from reclaim.newsletter.services.sending import begin_sending

    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status not in (Status.DRAFT, Status.SCHEDULED):
            raise IssueError(_("This issue is already being sent or was sent."))
        begin_sending(locked, actor)
    return locked


def schedule_issue(issue: Issue, send_at: datetime, actor: Any) -> Issue:
    if send_at <= timezone.now():
        raise IssueError(_("Choose a time in the future."))
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status not in (Status.DRAFT, Status.SCHEDULED):
            raise IssueError(_("This issue is already being sent or was sent."))
        locked.status = Status.SCHEDULED
        locked.send_at = send_at
        locked.save(update_fields=["status", "send_at"])
        record(
            actor,
            "newsletter.issue_schedule",
            target=f"issue {locked.pk}",
            send_at=send_at.isoformat(),
        )
    return locked


def cancel_issue(issue: Issue, actor: Any) -> Issue:
    """A scheduled issue goes back to being a draft. Once sending began it cannot be
    stopped halfway: some subscribers would have it and the rest never would."""
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status != Status.SCHEDULED:
            raise IssueError(_("Only a scheduled issue can be cancelled."))
        locked.status = Status.DRAFT
        locked.send_at = None
        locked.save(update_fields=["status", "send_at"])
        record(actor, "newsletter.issue_cancel", target=f"issue {locked.pk}")
    return locked
