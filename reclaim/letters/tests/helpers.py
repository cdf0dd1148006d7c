"""Helpers for driving the signing flow through HTTP as a visitor would."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from reclaim.letters.models import Petition

LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/s/[A-Za-z0-9_\-]+/)")


def sign(
    client: Client, petition: Petition, capture: Any, language: str = "en", **fields: Any
) -> Any:
    """POST the signing form; on-commit work (the mail) runs before this returns."""
    data = {
        "as": "individual",
        "name": "Jane Doe",
        "email": "jane@example.org",
        "country": "DE",
        "comment": "",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    with capture(execute=True):
        return client.post(f"/{language}/p/{petition.slug}/", data, REMOTE_ADDR="203.0.113.77")


def last_link() -> str:
    """The path of the link in the last mail sent."""
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def confirm(client: Client, link: str) -> Any:
    return client.post(link)
