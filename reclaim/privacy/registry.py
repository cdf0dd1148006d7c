"""Where each app says how to find, show and erase what it stores about one address.

An app that keeps anything tied to an email address (signatures, newsletter subscriptions,
comments, atlas reports...) lists a :class:`Finder` in ``FINDERS`` in its own
``privacy.py`` (``reclaim.core.hooks``): a name and a function that takes the canonical
keyed hash of the address (``reclaim.lib.emailhash.email_hash``) and returns a
:class:`Found`. The data-subject pages, the mail, the download and the erasure pick it up
from there. Erasure asks each app to erase its own records: ``Found.erase`` must call the
app's own service, never delete another app's rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reclaim.core.hooks import Hook, Text


@dataclass(frozen=True)
class Found:
    """What one finder found.

    ``rows`` are JSON-serialisable dicts of everything the server can read about each
    record: they go into the person's download as they are. ``shown`` is the same records
    as the page lists them: per record, (translated label, value) pairs, where a value may
    be a date or anything else the template formats in the reader's language. ``erase``
    deletes exactly the records found and returns how many went.
    """

    label: Text
    rows: list[dict[str, Any]]
    erase: Callable[[], int]
    note: Text = ""
    shown: list[list[tuple[Text, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class Finder:
    name: str
    find: Callable[[str], Found]


FINDERS = Hook[Finder]("privacy", "FINDERS", key=lambda finder: finder.name)


def find_all(email_hash: str) -> dict[str, Found]:
    """Every finder's records for one hash, in the declared order; empty ones left out."""
    found = {finder.name: finder.find(email_hash) for finder in FINDERS}
    return {name: f for name, f in found.items() if f.rows}
