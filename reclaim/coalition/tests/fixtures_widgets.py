"""Fixtures of the widgets' tests: a member organisation and its widgets.

Import what a test module uses: ``from reclaim.coalition.tests.fixtures_widgets import *``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reclaim.coalition.models import Organisation, Widget
from reclaim.coalition.services.widgets import ensure_widgets
from reclaim.eci.models import Initiative
from reclaim.letters.models import Petition

__all__ = ["eci_widget", "member", "petition_widget", "sign_through", "widget_url"]

SIGNER = {
    "as": "individual",
    "name": "Jane Doe",
    "email": "jane@example.org",
    "country": "DE",
    "comment": "",
}


@pytest.fixture
def member(db: Any) -> Organisation:
    return Organisation.objects.create(
        name="Digitale Freiheit", slug="digitale-freiheit", status=Organisation.Status.MEMBER
    )


@pytest.fixture
def petition_widget(member: Organisation, petition: Petition) -> Widget:
    ensure_widgets(member)
    return Widget.objects.get(organisation=member, petition=petition)


@pytest.fixture
def eci_widget(member: Organisation, initiative: Initiative) -> Widget:
    ensure_widgets(member)
    return Widget.objects.get(organisation=member, initiative=initiative)


def widget_url(widget: Widget, language: str = "en") -> str:
    return f"/{language}/coalition/widgets/{widget.key}/"


def sign_through(
    client: Client, widget: Widget, capture: Any, language: str = "en", **extra: Any
) -> Any:
    """POST the widget's signing form as the browser in the iframe does: from our own
    origin (the iframe's document is ours, whatever site frames it)."""
    data = dict(SIGNER)
    data.update({k: v for k, v in extra.items() if not k.startswith("HTTP_")})
    headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
    headers.setdefault("HTTP_SEC_FETCH_SITE", "same-origin")
    with capture(execute=True):
        return client.post(
            widget_url(widget, language), data, REMOTE_ADDR="203.0.113.77", **headers
        )
