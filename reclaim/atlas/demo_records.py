"""The atlas's records in `reclaim demo`: Belgrade's camera network with a few hundred
devices in every verification state, and the other deployments the campaign's pages
mention, each with capabilities, sources and freedom-of-information requests.

A deployment that is already there (by its address, ``slug``) is left as it is, devices
and all: a second run adds only what is missing, and never undoes what a tester changed.
The rows are written in bulk, with their history (django-simple-history), so that the step
takes well under a second per hundred devices; the reviewers' votes are real ``Vote`` rows
and the counts on each record are those the votes give (``demo_devices.tally``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from reclaim.atlas.demo_devices import Planned, plan_belgrade, plan_handful, tally
from reclaim.atlas.demo_facts import BELGRADE, DEPLOYMENTS, DeploymentFacts
from reclaim.atlas.models import Capability, Claim, Deployment, Device, Evidence, FoiRequest, Vote
from reclaim.demo.steps import DemoContext, Report

# The demo reviewers who cast the votes, in the order of a record's verdicts
# (reclaim/atlas/demo.py makes them before this step runs).
VOTERS = ("reviewer", "reviewer2", "reviewer3")
CHANGE_REASON = "demo"


def records(context: DemoContext) -> Report:
    report = Report("Surveillance atlas")
    voters = _voters()
    if len(voters) < len(VOTERS):
        report.warnings.append("The demo reviewers are missing: no votes are cast.")
    today = context.now.date()
    added: list[str] = []
    with transaction.atomic():
        for facts in DEPLOYMENTS:
            if Deployment.objects.filter(slug=facts.slug).exists():
                continue
            deployment = _deployment(facts, today, voters)
            if facts is BELGRADE:
                planned = plan_belgrade(deployment, today, _recheck_months())
            else:
                planned = plan_handful(facts, deployment, today)
            _devices(planned, today, voters, context)
            added.append(f"{deployment.name} ({len(planned)} devices)")
    devices = Device.objects.filter(deployment__slug=BELGRADE.slug)
    report.add(
        f"{len(added)} deployments added now, {Deployment.objects.count()} in all; "
        f"{devices.count()} devices in Belgrade."
    )
    for line in added:
        report.add(f"  + {line}")
    return report


def _recheck_months() -> int:
    return int(settings.RECLAIM["ATLAS_RECHECK_MONTHS"])


def _voters() -> list[Any]:
    users = get_user_model().objects.filter(username__in=VOTERS)
    by_name = {user.username: user for user in users}
    return [by_name[name] for name in VOTERS if name in by_name]


def _deployment(facts: DeploymentFacts, today: date, voters: list[Any]) -> Deployment:
    verdicts = facts.votes.verdicts if len(voters) == len(VOTERS) else ()
    deployment = Deployment(
        name=facts.name,
        slug=facts.slug,
        city=facts.city,
        country=facts.country,
        operator=facts.operator,
        system=facts.system,
        vendor=facts.vendor,
        description=facts.description,
        status=facts.status,
        legal_basis=facts.legal_basis,
        dpia=facts.dpia,
        latitude=facts.centre[0] if facts.centre else None,
        longitude=facts.centre[1] if facts.centre else None,
        published=facts.published,
        **tally(verdicts, facts.votes.official),
    )
    deployment._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
    deployment.save()  # one history row, through simple-history's signal
    Capability.objects.bulk_create(
        Capability(deployment=deployment, kind=kind, confidence=confidence)
        for kind, confidence in facts.capabilities
    )
    Evidence.objects.bulk_create(
        Evidence(
            deployment=deployment,
            claim=source.claim,
            kind=source.kind,
            title=source.title,
            url=source.url,
            read_on=today,
        )
        for source in facts.sources
    )
    for foi in facts.foi:
        sent_on = today - timedelta(days=foi.sent_days_ago)
        answered_on = (
            sent_on + timedelta(days=foi.answered_days_after)
            if foi.answered_days_after is not None
            else None
        )
        FoiRequest.objects.create(
            deployment=deployment,
            authority=foi.authority,
            sent_on=sent_on,
            status=foi.status,
            answered_on=answered_on,
            answer=foi.answer,
        )
    Vote.objects.bulk_create(
        Vote(deployment=deployment, reviewer=voter, verdict=verdict)
        for voter, verdict in zip(voters, verdicts, strict=False)
    )
    return deployment


def _devices(planned: list[Planned], today: date, voters: list[Any], context: DemoContext) -> None:
    if not planned:
        return
    if len(voters) < len(VOTERS):
        for item in planned:
            for name, value in tally((), item.official).items():
                setattr(item.device, name, value)
            item.verdicts = ()
    made = bulk_create_with_history(
        [item.device for item in planned],
        Device,
        batch_size=500,
        default_change_reason=CHANGE_REASON,
        default_date=context.now,
    )
    votes = []
    evidence = []
    for item, device in zip(planned, made, strict=True):
        moment = context.now - timedelta(days=max((today - device.last_seen).days - 3, 1))
        for n, (voter, verdict) in enumerate(zip(voters, item.verdicts, strict=False)):
            votes.append(
                Vote(
                    device=device,
                    reviewer=voter,
                    verdict=verdict,
                    created_at=moment + timedelta(hours=5 * n),
                )
            )
        if item.official:
            evidence.append(
                Evidence(
                    device=device,
                    claim=Claim.LOCATION,
                    kind=Evidence.Kind.OFFICIAL,
                    title="The police's own list of camera sites names this place "
                    "(an example for the demo)",
                    read_on=device.last_seen,
                )
            )
    Vote.objects.bulk_create(votes, batch_size=1000)
    Evidence.objects.bulk_create(evidence)
