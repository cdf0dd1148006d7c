"""The issue's mails, built when they are sent (listed in ``mails.py``).

Both are list mails: the outbox refuses to build one without its one-click unsubscribe
address and adds ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (RFC 8058).
"""

from __future__ import annotations

from reclaim.mail.builders import Letter, Mail
from reclaim.mail.models import OutgoingMail
from reclaim.newsletter.models import Issue, Subscription
from reclaim.newsletter.services.issues import example_unsubscribe_url, mail_context
from reclaim.newsletter.services.sending import ISSUE_MAIL, ISSUE_TEMPLATE, TEST_MAIL
from reclaim.newsletter.services.subscriptions import one_click_url, unsubscribe_url


def _issue(mail: OutgoingMail) -> Issue | None:
    if mail.object_id is None:
        return None
    return Issue.objects.select_related("mailing_list").filter(pk=mail.object_id).first()


def issue_mail(mail: OutgoingMail) -> Letter | None:
    """A subscriber's copy; None (nothing sent) if they unsubscribed since it was queued."""
    issue = _issue(mail)
    if issue is None:
        return None
    subscription = Subscription.objects.filter(
        pk=mail.params.get("subscription"),
        mailing_list_id=issue.mailing_list_id,
        confirmed_at__isnull=False,
    ).first()
    if subscription is None:
        return None
    return issue_letter(issue, subscription)


def issue_letter(issue: Issue, subscription: Subscription) -> Letter:
    """The copy of ``issue`` for ``subscription``: its own unsubscribe links, nothing else
    of theirs (no tracking id, no rewritten link)."""
    return Letter(
        ISSUE_TEMPLATE,
        mail_context(issue, unsubscribe_url(subscription)),
        unsubscribe_url=one_click_url(subscription),
    )


def test_mail(mail: OutgoingMail) -> Letter | None:
    """The issue as a subscriber will get it, to the staff member who asked, with an
    example unsubscribe link (they are not a subscriber of what they test)."""
    issue = _issue(mail)
    if issue is None:
        return None
    example = example_unsubscribe_url(issue)
    return Letter("newsletter-issue-test", mail_context(issue, example), unsubscribe_url=example)


MAILS = [
    Mail(ISSUE_MAIL, issue_mail, list_mail=True),
    Mail(TEST_MAIL, test_mail, list_mail=True),
]
