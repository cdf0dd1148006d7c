"""One helper to build every mail: subject, text and HTML from templates, in a language.

Only the outbox (reclaim.mail) sends what it builds, so every mail is queued, retried and
its address deleted the same way.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build(
    name: str,
    to: str,
    context: dict[str, Any],
    language: str,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Render ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html`` into a message,
    for the outbox to send with others over one connection."""
    with translation.override(language):
        context = {"base_url": settings.BASE_URL, **context}
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message
