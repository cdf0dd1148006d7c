"""Helpers for driving the signing flow through HTTP as a visitor would."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from reclaim.letters.models import Petition

LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/s/[A-Za-z0-9_\-]+/)")


def sign(
    client: Client, petition: Petition, capture: Any, language: str = "en", **fields: Any
) -> Any:
    """POST the signing form; on-commit work (the mail) runs before this returns."""
    data = {
        "as": "individual",
        "name": "Jane Doe",
        "email": "jane@example.org",
        "country": "DE",
        "comment": "",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    with capture(execute=True):
        return client.post(f"/{language}/p/{petition.slug}/", data, REMOTE_ADDR="203.0.113.77")


def last_link() -> str:
    """The path of the link in the last mail sent."""
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def confirm(client: Client, link: str) -> Any:
    return client.post(link)


def export_by_command(
    slug: str, private_file: bytes, passphrase: str, tmp_path: Any, *options: str
) -> list[dict[str, str]]:
    """Run ``reclaim export SLUG --key FILE`` as an organiser would and read its CSV back,
    as written (newline=""), so that a line break inside a cell stays as it is."""
    import csv
    import io

    from django.core.management import call_command

    keyfile = tmp_path / "key.json"
    keyfile.write_bytes(private_file)
    passfile = tmp_path / "pass"
    passfile.write_text(passphrase)
    out = tmp_path / "out.csv"
    call_command(
        "export",
        slug,
        "--key",
        str(keyfile),
        "--passphrase-file",
        str(passfile),
        "--out",
        str(out),
        *options,
        stderr=io.StringIO(),
    )
    return list(csv.DictReader(io.StringIO(out.read_bytes().decode(), newline="")))
