"""The Commission's signing page of an initiative, in the visitor's language.

The central online collection system takes the language of its pages in the ``lg``
parameter (``https://eci.ec.europa.eu/061/public/?lg=de``), in every official language of
the EU (``rules.json``, ``official_languages``). An initiative keeps one default address and,
optionally, an address per language (``Initiative.signing_links``); a language without its
own address gets the default one with its ``lg`` set to that language, so that no visitor
lands in English only because nobody typed in their language's address.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from reclaim.eci import rules

LANGUAGE_PARAMETER = "lg"


def with_language(url: str, language: str) -> str:
    """``url`` with its ``lg`` set to ``language``; unchanged when it has no ``lg`` (an
    address of another kind) or the language is not an official one."""
    if language not in rules.load().language_codes():
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not any(key == LANGUAGE_PARAMETER for key, _ in query):
        return url
    query = [(key, language if key == LANGUAGE_PARAMETER else value) for key, value in query]
    return urlunsplit(parts._replace(query=urlencode(query)))


def link(default: str, per_language: dict[str, str], language: str) -> str:
    """The address given for ``language``, else the default address in that language."""
    return str(per_language.get(language) or with_language(default, language))


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str


def links(default: str, per_language: dict[str, str]) -> list[LanguageLink]:
    """The signing page in every official language, or none when all would be one address
    (nothing to choose from)."""
    found = [
        LanguageLink(language.code, language.name, link(default, per_language, language.code))
        for language in rules.load().languages
    ]
    return found if len({item.url for item in found}) > 1 else []
