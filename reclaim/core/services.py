"""Every write of the core goes through a function here."""

from __future__ import annotations

from reclaim.core.models import FrontPage


def save_front_page(
    language: str,
    *,
    title: str,
    lead: str,
    body: str = "",
    action_label: str = "",
    action_url: str = "",
) -> FrontPage:
    """Set the front page's words in one language (validated as the admin validates them)."""
    page = FrontPage.objects.filter(language=language).first() or FrontPage(language=language)
    page.title, page.lead, page.body = title, lead, body
    page.action_label, page.action_url = action_label, action_url
    page.full_clean()
    page.save()
    return page
