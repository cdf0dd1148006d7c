"""The petition "Ban biometric mass surveillance" (``petition.json``): open, co-signed by
the coalition's organisations in its first days and signed by invented people from every
member state, a few of whom have not confirmed yet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import chain
from typing import Any

from reclaim.demo.facts import member_states, organisations
from reclaim.demo.people import person, rng_for
from reclaim.demo.steps import ACTOR, DemoContext, Report
from reclaim.letters.demo.campaigns import (
    approve,
    campaign_report,
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

# The series of invented people (reclaim.demo.people): person n of a series is always
# the same, so a rerun adds only those who are missing.
SIGNERS = "petition"
UNCONFIRMED = "petition-unconfirmed"


def coalition(facts: dict[str, Any], opens_at: datetime) -> list[ImportedSigner]:
    """The coalition's organisations whose seat is known, in their first days."""
    rule = facts["coalition"]
    to_confirm = timedelta(minutes=rule["confirmed_after_minutes"])
    found: list[ImportedSigner] = []
    known = [org for org in organisations() if org.country]
    for n, org in enumerate(known):
        at = opens_at + timedelta(hours=rule["hours_after_opening"] + rule["hours_apart"] * n)
        found.append(organisation(org.name, str(org.country), org.website, at, at + to_confirm))
    return found


def people(
    facts: dict[str, Any], count: int, opens_at: datetime, now: datetime
) -> Iterator[ImportedSigner]:
    """``count`` invented people, the first one from each member state and the rest
    spread like the population, then the few who have not confirmed yet."""
    rule, comments = facts["signers"], facts["comments"]
    states = member_states()
    span = (now - opens_at).total_seconds()
    for n in range(count):
        who = person(SIGNERS, n, states[n].iso if n < len(states) else None)
        rng = rng_for(SIGNERS, n)
        listed = rng.random() < rule["listed_share"]
        comment = rng.choice(comments) if rng.random() < rule["comment_share"] else ""
        # More signatures in the first weeks after the opening, then a steady trickle.
        signed_at = opens_at + timedelta(seconds=span * rng.random() ** rule["crowding_power"])
        confirmed_at = min(
            signed_at + timedelta(minutes=rng.randint(1, rule["confirmed_within_minutes"])), now
        )
        data = SignerData(
            kind=Signature.Kind.INDIVIDUAL,
            name=who.name,
            email=who.email,
            country=who.country,
            comment=comment,
            listed=listed,
            newsletter=rng.random() < rule["newsletter_share"],
        )
        yield ImportedSigner(data, who.site_language, signed_at, confirmed_at)
    # Recent, because unconfirmed signatures older than the confirmation window are
    # deleted by the retention job.
    rule = facts["unconfirmed"]
    for n in range(max(rule["at_least"], count // rule["per_signatures"])):
        who = person(UNCONFIRMED, n)
        rng = rng_for(UNCONFIRMED, n)
        data = SignerData(
            kind=Signature.Kind.INDIVIDUAL, name=who.name, email=who.email, country=who.country
        )
        signed_at = now - timedelta(minutes=rng.randint(5, rule["within_hours"] * 60))
        yield ImportedSigner(data, who.site_language, signed_at, None)


def open_petition(context: DemoContext) -> Report:
    facts = read("petition.json")
    petition, created = create_petition(
        facts["slug"],
        kind=Petition.Kind.PETITION,
        title=facts["title"],
        summary=facts["summary"],
        text=text(facts["text"]),
        language=facts["language"],
        goal=facts["goal"],
        milestones=facts["milestones"],
        opens_at=context.now - timedelta(days=facts["opened_days_ago"]),
        closes_at=context.now + timedelta(days=facts["runs_on_days"]),
        status=Petition.Status.OPEN,
        allows_organisations=True,
        allows_individuals=True,
    )
    partners = coalition(facts, petition.opens_at)
    added = import_signatures(
        petition,
        chain(partners, people(facts, context.signatures, petition.opens_at, context.now)),
        ACTOR,
    )
    approve(petition, partners)
    return campaign_report("Petition", petition, created, added)
