"""A number that is an identifier (a primary key) is never written with a thousands
separator: USE_THOUSAND_SEPARATOR is on, so ``{{ device.pk }}`` renders 13248 as
"13,248" (or "13.248" in German), which breaks an address (``?device=13,248``) and an
anchor that Python writes as ``#comment-13248``. Templates write keys with ``|unlocalize``."""

from __future__ import annotations

import re
from pathlib import Path

RECLAIM = Path(__file__).resolve().parents[2]
# {{ something.pk }} or {{ something.id }} with no filter after it.
BARE_KEY = re.compile(r"\{\{\s*[\w.]+\.(?:pk|id)\s*\}\}")


def test_no_template_writes_a_key_with_a_thousands_separator():
    found = [
        f"{path.relative_to(RECLAIM.parent)}:{number}: {match.group(0)}"
        for path in sorted(RECLAIM.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for match in BARE_KEY.finditer(line)
    ]
    assert not found, f"Write keys as {{{{ x.pk|unlocalize }}}}: {found}"
