"""The demo's own content: the front page's words, in every language of the site."""

from __future__ import annotations

import json

from django.conf import settings

from reclaim.core.services import save_front_page
from reclaim.demo.facts import DATA
from reclaim.demo.steps import DemoContext, Report, Step


def front_page(context: DemoContext) -> Report:
    pages = json.loads((DATA / "front_page.json").read_text(encoding="utf-8"))["pages"]
    report = Report("Front page")
    for language, _name in settings.LANGUAGES:
        page = pages.get(language)
        if page is None:
            continue
        save_front_page(
            language,
            title=page["title"],
            lead=page["lead"],
            body=page["body"],
            action_label=page["action_label"],
            action_url=f"/{language}{page['action_url']}",
        )
        report.add(f"{language}: {page['title']} ({settings.BASE_URL}/{language}/)")
    return report


STEPS = [Step("demo.front_page", front_page)]
