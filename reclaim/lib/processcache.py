"""A few seconds of memory inside one process, for rows read on every request.

The open petition and the active public key are read by every signing request and every
counter request. On PostgreSQL each read is a round trip to a server that competes for
the same cores; profiled under a signing burst, those two reads were 40 % of the web
workers' time (bench/findings.md, finding 6). Keeping them for a couple of seconds costs
a change made in another process that long to show here: a petition closed in the admin
is closed everywhere within ``RECLAIM["PROCESS_CACHE_SECONDS"]``. A change made in this
process shows at once: saving or deleting the model clears the cache that holds it
(``clear_on_change``), and services that write with ``update()`` call ``clear()``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_ALL: list[ProcessCache[Any]] = []


class ProcessCache(Generic[T]):
    """Values by key, each kept for the configured seconds. Only what ``load`` returns is
    kept: a lookup that raises (a 404, say) is never cached, so unknown keys take no room.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[Hashable, tuple[float, T]] = {}
        _ALL.append(self)

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        seconds = float(settings.RECLAIM["PROCESS_CACHE_SECONDS"])
        if seconds <= 0:
            return load()
        now = time.monotonic()
        hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        self._items[key] = (now + seconds, value)
        return value

    def clear(self) -> None:
        self._items.clear()

    def clear_on_change(self, model: type) -> None:
        """Forget everything when a row of ``model`` is saved or deleted in this process."""

        def forget(**_kwargs: Any) -> None:
            self.clear()

        post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"pc-{self.name}-s")
        post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"pc-{self.name}-d")


def clear_all() -> None:
    for cache in _ALL:
        cache.clear()
