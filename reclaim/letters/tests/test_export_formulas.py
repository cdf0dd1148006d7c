"""A decrypted export is safe to open in a spreadsheet: what a signer typed is never run
as a formula on the organiser's machine (reclaim.lib.safecsv)."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from reclaim.letters import export
from reclaim.letters.export import export_csv
from reclaim.letters.models import Signature
from reclaim.letters.services import ImportedSigner, SignerData, import_signatures
from reclaim.letters.tests.helpers import confirm, export_by_command, last_link, sign

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


def _export_by_command(petition, keypair, passphrase, tmp_path) -> list[dict[str, str]]:
    return export_by_command(
        petition.slug, keypair.private_file, passphrase, tmp_path, "--with-email"
    )


def test_a_signers_formula_in_name_or_comment_is_exported_as_text(
    client, petition, keypair, passphrase, tmp_path, django_capture_on_commit_callbacks
):
    # (The form strips leading tabs and line breaks; imported rows bring them, below.)
    typed = [
        (FORMULA, "@SUM(A1:A9)"),
        ("+49 30 1234", "-1+1"),
        ("Jane Doe", "plain, with =1+1 inside"),
        ("-Anna", ""),
    ]
    for n, (name, comment) in enumerate(typed):
        sign(
            client,
            petition,
            django_capture_on_commit_callbacks,
            name=name,
            comment=comment,
            email=f"s{n}@example.org",
        )
        confirm(client, last_link())

    rows = _export_by_command(petition, keypair, passphrase, tmp_path)

    assert sorted((row["name"], row["comment"]) for row in rows) == sorted(
        [
            ("'" + FORMULA, "'@SUM(A1:A9)"),
            ("'+49 30 1234", "'-1+1"),
            ("Jane Doe", "plain, with =1+1 inside"),
            ("'-Anna", ""),
        ]
    )
    # What the code writes itself is left alone: the country, the listing choice, the time.
    assert {row["country"] for row in rows} == {"DE"}
    assert {row["listed"] for row in rows} == {"False"}


def test_an_organisations_formula_website_and_contact_are_exported_as_text(
    letter, keypair, passphrase, tmp_path
):
    """Websites pass a URL check when signing on the site, but imported co-signers (paper,
    another site) bring whatever was collected: the export must not trust them either."""
    now = timezone.now()
    import_signatures(
        letter,
        [
            ImportedSigner(
                SignerData(
                    kind=Signature.Kind.ORGANISATION,
                    name="@Org",
                    email="office@example.org",
                    country="BE",
                    website=FORMULA,
                    contact_name="\t=1+1",
                    comment="\r=1+1",
                ),
                "en",
                now,
                now,
            )
        ],
        actor="test",
    )

    [row] = _export_by_command(letter, keypair, passphrase, tmp_path)

    assert row["name"] == "'@Org"
    assert row["website"] == "'" + FORMULA
    assert row["contact_name"] == "'\t=1+1"
    assert row["comment"] == "'\r=1+1"
    assert row["email"] == "office@example.org"
    assert row["kind"] == "organisation"


def test_worker_processes_neutralise_formulas_as_one_process_does(
    petition, keypair, passphrase, monkeypatch
):
    now = timezone.now()
    signers = [
        ImportedSigner(
            SignerData(
                kind=Signature.Kind.INDIVIDUAL,
                name=FORMULA if n % 2 else f"Signer {n}",
                email=f"w{n}@example.org",
                country="FR",
                comment="=1+1",
            ),
            "en",
            now,
            now,
        )
        for n in range(12)
    ]
    import_signatures(petition, signers, actor="test")

    def run(**options) -> str:
        out = io.StringIO()
        export_csv(petition, keypair.private_file, passphrase, out, "alice", **options)
        return out.getvalue()

    here = run(processes=1)
    pooled_runs = []
    in_pool = export._open_in_pool

    def counting(*args, **kwargs):
        pooled_runs.append(args[-1])
        return in_pool(*args, **kwargs)

    monkeypatch.setattr(export, "_open_in_pool", counting)
    pooled = run(processes=2, parallel_from=4)
    assert pooled_runs == [2]
    assert pooled == here
    rows = list(csv.DictReader(io.StringIO(pooled, newline="")))
    assert sum(row["name"] == "'" + FORMULA for row in rows) == 6
    assert {row["comment"] for row in rows} == {"'=1+1"}
