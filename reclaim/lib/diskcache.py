"""Django's cache in SQLite files on this machine: the default when no REDIS_URL is set.

Every process that opens the same folder sees the same entries, so gunicorn's workers, the
task worker and the scheduler count the sign-in lockout, the form throttles and used
proof-of-work solutions once between them, and the aggregation job's figures reach the web
workers without another service. It is diskcache's Django backend: ``add()`` and ``incr()``
each run in one SQLite write transaction (``BEGIN IMMEDIATE``), so two processes adding or
incrementing one key are counted one after the other, never lost; the keys are spread over
shards (one SQLite file each) so that writers to different keys rarely wait for each other.
Writes retry until they get the lock; a read that cannot get it within the busy timeout
(rare in WAL mode, where readers do not wait for writers) answers as if the key were absent.

Values are pickled like every Django cache backend's: whoever can write the folder can run
code in the application, as with the database or the secret files next to it. The folder
is made readable by the application's user only (``settings.CACHE_DIR``).
"""

from __future__ import annotations

from typing import Any

from diskcache import DjangoCache


class DiskCache(DjangoCache):
    def close(self, **kwargs: Any) -> None:
        """Keep the connections open between requests.

        Django closes every cache when a request finishes. For this backend that would mean
        reopening a SQLite connection per shard (and re-reading its settings) on the next
        request, several times the cost of the throttles' own writes on a signing request.
        A connection belongs to one thread of one process (diskcache reopens it after a
        fork), so keeping it is as safe as the database's CONN_MAX_AGE.
        """
