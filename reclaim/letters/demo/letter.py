"""The open letter of 10 May 2022 (``letter.json``): closed, co-signed by the organisations
it listed and by a few invented experts who added their names after publication."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reclaim.demo.people import person
from reclaim.demo.steps import ACTOR, DemoContext, Report
from reclaim.letters.demo.campaigns import (
    approve,
    campaign_report,
    moment,
    organisation,
    read,
    text,
)
from reclaim.letters.models import Petition, Signature
from reclaim.letters.services import (
    ImportedSigner,
    SignerData,
    create_petition,
    import_signatures,
)

# Whose invented people the experts are (reclaim.demo.people): the same series always
# gives the same people.
EXPERTS = "letter-expert"


def signers(facts: dict[str, Any]) -> tuple[list[ImportedSigner], list[str]]:
    """The co-signing organisations and the experts; and the names left off because the
    organisation's seat is unknown (a signature needs a country, and a guessed one would
    be a false fact)."""
    first = moment(facts["cosigners_from"])
    apart = timedelta(minutes=facts["minutes_apart"])
    to_confirm = timedelta(minutes=facts["confirmed_after_minutes"])
    found: list[ImportedSigner] = []
    skipped: list[str] = []
    for n, cosigner in enumerate(facts["cosigners"]):
        if not cosigner["country"]:
            skipped.append(cosigner["name"])
            continue
        at = first + n * apart
        website = cosigner.get("website", "")
        found.append(
            organisation(cosigner["name"], cosigner["country"], website, at, at + to_confirm)
        )
    for n, expert in enumerate(facts["experts"]):
        who = person(EXPERTS, n, expert["country"])
        data = SignerData(
            kind=Signature.Kind.INDIVIDUAL,
            name=expert["listed_as"].format(name=who.name),
            email=who.email,
            country=who.country,
            listed=True,
        )
        found.append(
            ImportedSigner(
                data, who.site_language, moment(expert["signed"]), moment(expert["confirmed"])
            )
        )
    return found, skipped


def open_letter(context: DemoContext) -> Report:
    facts = read("letter.json")
    letter, created = create_petition(
        facts["slug"],
        kind=Petition.Kind.LETTER,
        title=facts["title"],
        summary=facts["summary"],
        text=text(facts["text"]),
        recipients=facts["recipients"],
        language=facts["language"],
        goal=facts["goal"],
        opens_at=moment(facts["published"]),
        closes_at=moment(facts["closes"]),
        status=Petition.Status.CLOSED,
        allows_organisations=True,
        allows_individuals=True,
        retention_days=facts["retention_days"],
    )
    found, skipped = signers(facts)
    added = import_signatures(letter, found, ACTOR)
    approve(letter, found)
    report = campaign_report("Open letter", letter, created, added)
    if skipped:
        report.add(
            "Left off the letter (seat unknown, and a signature needs a country): "
            + ", ".join(skipped)
        )
    return report
