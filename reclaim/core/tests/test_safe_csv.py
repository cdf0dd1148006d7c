"""Every CSV reclaim writes is safe to open in a spreadsheet (reclaim.lib.safecsv), and a
new one cannot forget it: no module but the helper writes CSV with the csv module."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

from reclaim.lib import safecsv

RECLAIM = Path(__file__).resolve().parents[2]
HELPER = RECLAIM / "lib" / "safecsv.py"
WRITERS = {"writer", "DictWriter"}


def _direct_csv_writers(path: Path, root: Path = RECLAIM.parent) -> list[str]:
    """Where a module makes a writer of the csv module itself (csv.writer, csv.DictWriter,
    or either imported from csv)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in WRITERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} csv.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            for alias in node.names:
                if alias.name in WRITERS:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {alias.name}")
    return found


def test_no_module_writes_csv_without_the_spreadsheet_safe_helper():
    found = [
        hit
        for path in sorted(RECLAIM.rglob("*.py"))
        if path != HELPER and "tests" not in path.parts and "migrations" not in path.parts
        for hit in _direct_csv_writers(path)
    ]
    assert not found, (
        "Write CSV with reclaim.lib.safecsv.writer or DictWriter, so that a value starting "
        f"with = + - @ is not run as a formula: {found}"
    )


def test_the_guard_finds_a_direct_writer(tmp_path):
    module = tmp_path / "x.py"
    module.write_text(
        "import csv\nfrom csv import DictWriter\nw = csv.writer(out)\ncsv.reader(x)\n"
    )
    assert sorted(_direct_csv_writers(module, tmp_path)) == [
        "x.py:2 DictWriter",
        "x.py:3 csv.writer",
    ]


def test_strings_that_start_like_a_formula_get_a_quote_and_numbers_stay_numbers():
    out = io.StringIO()
    writer = safecsv.writer(out)
    writer.writerow(["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "a=b", "", -3, 2.5, None, True])
    writer.writerows([["-2"], [-2]])
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "'\rx",
        "a=b",
        "",
        "-3",
        "2.5",
        "",
        "True",
    ]
    assert rows[1:] == [["'-2"], ["-2"]]


def test_the_dict_writer_neutralises_rows_and_keeps_its_options():
    out = io.StringIO()
    writer = safecsv.DictWriter(out, fieldnames=["name", "count"], extrasaction="ignore")
    writer.writeheader()
    writer.writerow({"name": "@x", "count": -1, "ignored": "=1"})
    writer.writerows([{"name": "=y"}])
    assert out.getvalue() == "name,count\r\n'@x,-1\r\n'=y,\r\n"
