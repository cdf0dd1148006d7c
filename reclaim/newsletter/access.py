"""Who may see which newsletter page. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from reclaim.accounts.access import get_staff_with
from reclaim.newsletter.models import MailingList

IMPORT_PERMISSION = "newsletter.add_subscription"


def get_open_list(slug: str) -> MailingList:
    """A list that takes subscriptions; a closed or unknown one is not found."""
    found = MailingList.objects.filter(slug=slug).first()
    if found is None:
        raise Http404
    if not found.is_active:
        raise Http404
    return found


def get_importer(user: Any) -> Any:
    """The user, if a signed-in staff member who may import subscribers (organisers)."""
    return get_staff_with(user, IMPORT_PERMISSION)
