"""Where each app says how to find, show and erase what it stores about one address.

To add a finder (newsletter subscriptions, comments, atlas reports...): write a function
decorated with ``@finder("name")`` that takes the canonical keyed hash of the address
(reclaim.lib.emailhash.email_hash) and returns a ``Found``, in reclaim/privacy/finders.py
or in a module of your app that finders.py imports. The data-subject pages, the mail, the
download and the erasure pick it up from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

Text = str | Promise


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


Finder = Callable[[str], Found]
_FINDERS: dict[str, Finder] = {}


def finder(name: str) -> Callable[[Finder], Finder]:
    def register(func: Finder) -> Finder:
        _FINDERS[name] = func
        return func

    return register


def find_all(email_hash: str) -> dict[str, Found]:
    """Every finder's records for one hash, in registration order; empty ones left out."""
    found = {name: find(email_hash) for name, find in _FINDERS.items()}
    return {name: f for name, f in found.items() if f.rows}
