"""What the sync raises when a counter cannot be read."""

from __future__ import annotations


class SyncError(Exception):
    """A counter could not be read. The message is short, in English, and safe to show."""
