"""What the letter and the petition of the demo share: their data files, the coalition's
organisations as signers, their approval, and the report on a campaign."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from reclaim.demo.facts import member_states
from reclaim.demo.steps import ACTOR, Report
from reclaim.letters.counting import aggregate_counts
from reclaim.letters.models import Petition, Signature
from reclaim.letters.services import ImportedSigner, SignerData, approve_organisations
from reclaim.lib.emailhash import email_hash

HERE = Path(__file__).parent


def read(name: str) -> dict[str, Any]:
    """One of the data files beside this module."""
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def text(paragraphs: list[str]) -> str:
    """A petition's text from the paragraphs of its data file (a blank line between)."""
    return "\n\n".join(paragraphs)


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


@cache
def _site_languages() -> dict[str, str]:
    return {state.iso: state.site_language for state in member_states()}


def site_language(country: str) -> str:
    """The language of this site a signer from ``country`` uses (English outside the EU
    and where the site does not speak the country's language)."""
    return _site_languages().get(country, "en")


def organisation(
    name: str, country: str, website: str, signed_at: datetime, confirmed_at: datetime
) -> ImportedSigner:
    """A real organisation as a signer, at an invented address of the reserved domain.

    No contact person: an invented name next to a real organisation could be taken for a
    real member of its staff."""
    data = SignerData(
        kind=Signature.Kind.ORGANISATION,
        name=name,
        email=f"{slugify(name)[:60] or 'organisation'}@example.org",
        country=country,
        website=website,
        listed=True,
    )
    return ImportedSigner(data, site_language(country), signed_at, confirmed_at)


def approve(petition: Petition, signers: Iterable[ImportedSigner]) -> int:
    """Approve the demo's organisations that still wait for it, through the moderators'
    own service: they co-signed the real campaign. Only the demo's own rows (found by
    their addresses), never an organisation that signed on the site; one a moderator has
    rejected since stays rejected."""
    hashes = [
        email_hash(signer.data.email)
        for signer in signers
        if signer.data.kind == Signature.Kind.ORGANISATION
    ]
    waiting = petition.signatures.filter(email_hash__in=hashes, review=Signature.Review.PENDING)
    if not waiting.exists():
        return 0
    return approve_organisations(ACTOR, waiting)


def campaign_report(title: str, petition: Petition, created: bool, added: int) -> Report:
    """Count the campaign (as the aggregation job does) and say what there is."""
    aggregate_counts([petition.pk])
    rows = Signature.objects.filter(petition=petition)
    counted = rows.counted()
    confirmed = counted.count()
    countries = counted.values("country").distinct().count()
    pending = rows.filter(confirmed_at__isnull=True).count()
    state = "created" if created else "already there"
    report = Report(title)
    report.add(petition.title)
    report.add(f"  {settings.BASE_URL}{petition.get_absolute_url()}")
    report.add(
        f"  {petition.get_status_display().lower()}, {state}; {added} signatures added now; "
        f"{confirmed} confirmed from {countries} countries, {pending} unconfirmed"
    )
    return report
