"""Where the atlas appears: the header, the front page and the staff area. Each part adds
its items in its own section."""

from __future__ import annotations

from django.urls import reverse  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

from reclaim.core.hooks import Link, Section, StaffLink  # noqa: F401

LINKS: list[Link] = [
    # --- records: the header's "Atlas" -------------------------------------------------
]

SECTIONS: list[Section] = []

STAFF_LINKS: list[StaffLink] = [
    # --- records ------------------------------------------------------------------------
    # --- review -------------------------------------------------------------------------
    # --- reports ------------------------------------------------------------------------
]
