"""The one helper for keeping values in a process's memory: bounded, with an expiry.

Every cache that lives in one process is a :class:`ProcessCache` (a ``cachetools.TTLCache``
behind a lock), so each has a bound on its size and an age after which it is read again;
``docs/caching.md`` lists them all with what invalidates each. Values shared by several
processes go to Django's cache instead (SQLite files shared by the processes of one machine
by default, Redis when ``REDIS_URL`` is set).

A value kept here is stale for at most its lifetime in every *other* process: a petition
closed in the admin is closed everywhere within ``RECLAIM["PROCESS_CACHE_SECONDS"]``. In the
process that made the change it is gone at once: saving or deleting the model clears the
cache that holds it (``clear_on_change``), and services that write with ``update()`` call
``clear()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from cachetools import TTLCache
from django.conf import settings
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_ALL: list[ProcessCache[Any]] = []


def default_seconds() -> float:
    return float(settings.RECLAIM["PROCESS_CACHE_SECONDS"])


class ProcessCache(Generic[T]):
    """Values by key, at most ``maxsize`` of them, each kept ``seconds`` (by default
    ``RECLAIM["PROCESS_CACHE_SECONDS"]``; 0 turns the cache off). Only what ``load``
    returns is kept: a lookup that raises (a 404, say) is never cached, so unknown keys
    take no room."""

    def __init__(self, name: str, maxsize: int, seconds: float | None = None) -> None:
        self.name = name
        self.maxsize = maxsize
        self._seconds = seconds
        self._lock = threading.Lock()
        self._items: TTLCache[Hashable, T] | None = None
        _ALL.append(self)

    def _cache(self) -> TTLCache[Hashable, T] | None:
        seconds = default_seconds() if self._seconds is None else self._seconds
        if seconds <= 0:
            return None
        if self._items is None or self._items.ttl != seconds:
            self._items = TTLCache(maxsize=self.maxsize, ttl=seconds)
        return self._items

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        with self._lock:
            items = self._cache()
            if items is not None and key in items:
                return items[key]
        # Loaded outside the lock: a slow query must not hold up the other threads. Two
        # threads may load the same key at once; both get a correct value.
        value = load()
        with self._lock:
            items = self._cache()
            if items is not None:
                items[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            if self._items is not None:
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
