from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url

from reclaim.core.hooks import FOOTER_LINKS, LINKS


def site(request: HttpRequest) -> dict[str, Any]:
    """The header's sections (each app's ``navigation.LINKS``, in INSTALLED_APPS order) and
    links to this page in every language: plain links, so no language cookie is set."""
    path = request.get_full_path()
    # The page belongs to a section when its view is in the namespace of the section's
    # link: a petition's page is in "Petitions and letters" (letters:...).
    match = getattr(request, "resolver_match", None)
    namespace = match.namespaces[0] if match is not None and match.namespaces else None
    sections = [
        (link.label, reverse(link.url_name), link.url_name.split(":")[0] == namespace)
        for link in LINKS
    ]
    return {
        "nav_links": sections,
        "footer_links": [(link.label, reverse(link.url_name)) for link in FOOTER_LINKS],
        "language_links": [
            (code, name, translate_url(path, code)) for code, name in settings.LANGUAGES
        ],
    }
