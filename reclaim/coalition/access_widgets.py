"""Which widget a page may show. Each condition on its own line, in one place."""

from __future__ import annotations

import re

from reclaim.coalition.models import Organisation, Widget
from reclaim.letters.models import Petition

# What new_key() makes (URL-safe base64), within the column's length: anything else is
# not a key, and is not looked up.
KEY = re.compile(r"[A-Za-z0-9_-]{1,24}")


class WidgetUnavailable(Exception):
    """The widget cannot be shown: ``status`` 404 (no such widget) or 410 (retired)."""

    def __init__(self, status: int, widget: Widget | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.widget = widget


def get_embeddable_widget(key: str) -> Widget:
    """The widget of ``key`` if its page may be shown on a partner's site."""
    if not KEY.fullmatch(key):
        raise WidgetUnavailable(404)
    widget = (
        Widget.objects.select_related("organisation", "petition", "initiative")
        .filter(key=key)
        .first()
    )
    if widget is None:
        raise WidgetUnavailable(404)
    if widget.retired_at is not None:
        raise WidgetUnavailable(410, widget)
    # A member that left takes its widgets with it.
    if widget.organisation.status != Organisation.Status.MEMBER:
        raise WidgetUnavailable(410, widget)
    if widget.target == Widget.Target.PETITION and widget.petition is None:
        raise WidgetUnavailable(404, widget)
    # A petition taken back to draft is not public, here as on its own page.
    if widget.petition is not None and widget.petition.status == Petition.Status.DRAFT:
        raise WidgetUnavailable(404, widget)
    if widget.target == Widget.Target.ECI and widget.initiative is None:
        raise WidgetUnavailable(404, widget)
    return widget
