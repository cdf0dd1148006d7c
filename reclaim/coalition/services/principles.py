"""The coalition's principles: organisers publish versions, applicants agree to one.

A published version is never edited: an application keeps a reference to the version its
applicant agreed to, so changing the words would change what they agreed to after the fact.
A new text is a new version.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from reclaim.audit.services import record
from reclaim.coalition.models import Principles


def current_principles() -> Principles | None:
    """The newest version, or None while organisers have published none (then the
    application form is closed)."""
    return Principles.objects.order_by("-version").first()


def paragraphs(principles: Principles) -> list[str]:
    """The text as paragraphs, split on blank lines, for the page."""
    return [p.strip() for p in principles.text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def publish_principles(text: str, actor: Any) -> Principles:
    """Publish ``text`` as the next version. The same text as the current version
    publishes nothing new (it returns the current version), so a form sent twice does
    not make applicants agree to a "new" version that says the same."""
    text = text.strip()
    with transaction.atomic():
        current = Principles.objects.select_for_update().order_by("-version").first()
        if current is not None and current.text.strip() == text:
            return current
        latest = Principles.objects.aggregate(latest=Max("version"))["latest"] or 0
        principles = Principles.objects.create(version=latest + 1, text=text)
        record(
            actor,
            "coalition.principles_publish",
            target=f"principles:{principles.version}",
            count=1,
        )
    return principles
