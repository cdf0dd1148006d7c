"""Who may write and send newsletter issues. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from reclaim.accounts.access import get_staff_with
from reclaim.newsletter.models import Issue

WRITE_PERMISSION = "newsletter.change_issue"
CREATE_PERMISSION = "newsletter.add_issue"
SEND_PERMISSION = "newsletter.send_issue"


def get_writer(user: Any) -> Any:
    """The user, if a signed-in staff member who may write issues (organisers)."""
    return get_staff_with(user, WRITE_PERMISSION)


def get_creator(user: Any) -> Any:
    get_writer(user)
    return get_staff_with(user, CREATE_PERMISSION)


def get_sender(user: Any) -> Any:
    """The user, if they may also send (to the subscribers, or a test to themselves)."""
    get_writer(user)
    return get_staff_with(user, SEND_PERMISSION)


def get_issue_for_writer(user: Any, pk: int) -> Issue:
    get_writer(user)
    return get_object_or_404(Issue.objects.select_related("mailing_list"), pk=pk)


def get_issue_for_sender(user: Any, pk: int) -> Issue:
    get_sender(user)
    return get_object_or_404(Issue.objects.select_related("mailing_list"), pk=pk)
