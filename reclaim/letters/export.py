"""Delivery exports: decrypt sealed signatures with the organiser's offline key file."""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import IO, Any

from reclaim.audit.services import record
from reclaim.letters.exportrows import ExportRow, init_worker, write_rows, write_rows_in_worker
from reclaim.letters.forms import text_limits
from reclaim.letters.models import Petition, Signature
from reclaim.lib import safecsv
from reclaim.lib.sealing import load_private_file, recipient_point

COLUMNS = ["country", "kind", "name", "website", "contact_name", "comment", "listed", "signed_at"]

# Opening a box is one P-256 ECDH, about 70 % of an export's time, and each box has its
# own ephemeral key: the only way to go faster is more cores. One process per core took
# decryption from 17,800 to 32,400 rows/s on a 2-core machine.
# Below PARALLEL_FROM rows, starting the workers (a fresh interpreter each) costs more
# than it saves, and small exports stay in one process.
PARALLEL_FROM = 5_000
# Boxes per task sent to a worker: large enough that pickling and the pipe are noise,
# small enough that the chunks in flight (LOOK_AHEAD per worker) keep memory flat.
CHUNK = 1_000
LOOK_AHEAD = 2

Row = tuple[Any, str, str, Any]  # sealed, key id, country, created_at


@dataclass
class ExportResult:
    written: int
    other_key: int
    unreadable: int
    # Written, but holding what the signing form would have refused (exportrows.looks_odd):
    # only a box sealed in a browser can, since the server checks what it seals itself.
    odd: int = 0


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def export_csv(
    petition: Petition,
    key_file: bytes,
    passphrase: str,
    out: IO[str],
    actor: Any,
    with_email: bool = False,
    processes: int | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> ExportResult:
    """Write confirmed, valid signatures as CSV grouped by country, for the recipients.

    With more than ``parallel_from`` rows and more than one process (default: one per
    available CPU), the boxes are opened in a process pool; the CSV is the same."""
    key_id, private_key = load_private_file(key_file, passphrase)
    columns = COLUMNS + (["email"] if with_email else [])
    safecsv.DictWriter(out, fieldnames=columns).writeheader()
    rows = (
        Signature.objects.counted()
        .filter(petition=petition, sealed__isnull=False)
        .order_by("country", "kind", "created_at", "pk")
        .values_list("sealed", "key_id", "country", "created_at")
    )
    result = ExportResult(0, 0, 0)
    context = petition.context()
    limits = text_limits()
    chunks = _chunks(rows.iterator(chunk_size=2 * CHUNK), CHUNK, key_id, result)
    # Look at the head of the export before deciding: no COUNT(*) over the petition.
    head = list(itertools.islice(chunks, parallel_from // CHUNK + 1))
    chunks = itertools.chain(head, chunks)
    processes = available_cpus() if processes is None else processes
    if processes > 1 and sum(len(chunk) for chunk in head) > parallel_from:
        written = _open_in_pool(chunks, key_file, passphrase, context, columns, limits, processes)
    else:
        written = _open_here(chunks, private_key, context, columns, limits)
    for text, count, unreadable, odd in written:
        out.write(text)
        result.written += count
        result.unreadable += unreadable
        result.odd += odd
    record(
        actor,
        "signature.export",
        target=f"petition:{petition.pk}",
        count=result.written,
        key_id=key_id,
        with_email=with_email,
    )
    return result


Written = Iterator[tuple[str, int, int, int]]


def _chunks(
    rows: Iterable[Row], size: int, key_id: str, result: ExportResult
) -> Iterator[list[ExportRow]]:
    """Chunks of the rows this key may open; rows sealed to another key are counted
    here and never sent to a worker."""
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        mine = [
            (bytes(sealed or b""), country, created_at.isoformat())
            for sealed, row_key, country, created_at in chunk
            if row_key == key_id
        ]
        result.other_key += len(chunk) - len(mine)
        yield mine


def _open_here(
    chunks: Iterable[list[ExportRow]],
    private_key: Any,
    context: str,
    columns: list[str],
    limits: dict[str, int],
) -> Written:
    recipient = recipient_point(private_key)
    for chunk in chunks:
        yield write_rows(private_key, recipient, chunk, context, columns, limits)


def _open_in_pool(
    chunks: Iterable[list[ExportRow]],
    key_file: bytes,
    passphrase: str,
    context: str,
    columns: list[str],
    limits: dict[str, int],
    processes: int,
) -> Written:
    """Open the chunks in worker processes, in order, with a bounded number in flight;
    each worker returns its chunk as CSV text (reclaim.letters.exportrows).

    Workers are spawned, not forked: a forked child would inherit this process's database
    connection (and any threads' locks); a spawned one imports only the Django-free
    exportrows module (and sealing) and never touches the database. Spawning re-imports the
    caller's main script in each worker, as every multiprocessing start method but fork
    does: a script that calls export_csv needs the usual ``if __name__ == "__main__"``
    guard (manage.py and the reclaim command have it). The key file and passphrase travel
    to each worker over the pool's pipe, as initializer arguments; the private key is never
    written to disk. ProcessPoolExecutor.map would submit every chunk at once (the whole
    export in memory), so the window of futures is kept by hand."""
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        initargs=(key_file, passphrase),
    )
    try:
        window: deque[Future[tuple[str, int, int, int]]] = deque()
        for chunk in chunks:
            window.append(pool.submit(write_rows_in_worker, chunk, context, columns, limits))
            if len(window) >= processes * LOOK_AHEAD:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
