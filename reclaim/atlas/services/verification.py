"""Review of the atlas: reviewers decide anonymous reports, vote on records, and organisers
confirm records from an official source or withdraw wrong ones.

Every verb here runs in one transaction, checks the actor's permission itself (a view
checks it too, but a service must not trust its caller), writes one audit entry, and sets
``_history_user`` on a deployment or device before saving it, so that its history
(django-simple-history) names who changed it and a wrong change can be reverted.

Graded verification (issue 14, after Amnesty's Decode Surveillance): several reviewers
vote separately, each without seeing the others' votes; a record is *corroborated* once
``ATLAS_REVIEWERS_TO_CORROBORATE`` of them voted and most or all of them confirmed it;
*confirmed* needs an official source (``Evidence.OFFICIAL_KINDS``) and is never lowered by
votes. A reviewer who accepts a report has looked at it already: that counts as their
"confirm" vote on the record it makes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reclaim.atlas.models import (
    Agreement,
    Deployment,
    Device,
    Evidence,
    Photo,
    Report,
    Verification,
    Vote,
)
from reclaim.audit.services import record as audit

Record = Deployment | Device

REVIEW_PERMISSION = "atlas.review_atlas"
CONFIRM_PERMISSION = "atlas.confirm_atlas"

# What a reviewer may set when accepting a report, per kind of report. Anything else is a
# programming error, refused rather than silently dropped.
DEVICE_FIELDS = frozenset(
    {
        "latitude",
        "longitude",
        "deployment",
        "city",
        "place",
        "watches",
        "mount",
        "camera_type",
        "direction",
        "model",
        "first_seen",
    }
)
DEPLOYMENT_FIELDS = frozenset(
    {
        "name",
        "city",
        "country",
        "operator",
        "system",
        "vendor",
        "description",
        "status",
        "latitude",
        "longitude",
    }
)
# A re-check may correct what changed about the device (a new model, another direction).
RECHECK_FIELDS = frozenset(
    {
        "found",
        "latitude",
        "longitude",
        "place",
        "watches",
        "mount",
        "camera_type",
        "direction",
        "model",
    }
)
SLUG_MAX = 70


class ReviewError(Exception):
    """A decision that cannot be made as asked; the message is for the reviewer."""


class AlreadyDecided(ReviewError):
    """The report was accepted or rejected already (by someone else, a moment ago)."""


class AlreadyVoted(ReviewError):
    """The reviewer voted on this record before: one vote per reviewer per record."""


class NotOfficial(ReviewError):
    """The evidence given cannot confirm the record."""


class AlreadyInState(ReviewError):
    """Confirming a confirmed record, withdrawing a withdrawn one, and so on."""


# --- Helpers ---------------------------------------------------------------------------


def reviewers_to_corroborate() -> int:
    return int(settings.RECLAIM["ATLAS_REVIEWERS_TO_CORROBORATE"])


def target(record: Record) -> str:
    """The audit log's name for a record."""
    return f"{kind_of(record)}:{record.pk}"


def kind_of(record: Record) -> str:
    return "device" if isinstance(record, Device) else "deployment"


def _require(user: Any, permission: str) -> None:
    if not user.is_authenticated or not user.is_active or not user.has_perm(permission):
        raise PermissionDenied


def _lock(record: Record) -> Record:
    """The record read again under a row lock, so that concurrent votes tally in turn."""
    return type(record).objects.select_for_update().get(pk=record.pk)


def _votes(record: Record) -> Any:
    return Vote.objects.filter(**{kind_of(record): record})


def has_voted(record: Record, reviewer: Any) -> bool:
    return bool(_votes(record).filter(reviewer=reviewer).exists())


def own_vote(record: Record, reviewer: Any) -> Vote | None:
    """The reviewer's own vote on the record (never another's)."""
    vote_row: Vote | None = _votes(record).filter(reviewer=reviewer).first()
    return vote_row


def _clean(instance: Record, exclude: list[str] | None = None) -> None:
    """Validate a record as the model does (ranges of coordinates, choices); a bad value is
    a ReviewError with the model's own translated message."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ReviewError(" ".join(error.messages)) from error


def _save(instance: Record, user: Any, update_fields: list[str] | None = None) -> None:
    # django-simple-history reads the acting user from here, not from the request: a
    # service also runs from commands and tests, where there is no request.
    instance._history_user = user  # type: ignore[union-attr]
    if update_fields is not None:
        instance.save(update_fields=[*update_fields, "updated_at"])
    else:
        instance.save()


def _refresh(record: Record, locked: Record) -> None:
    """Bring the caller's copy in step with what was saved."""
    for name in ("verification", "agreement", "votes_for", "votes_total", "published"):
        setattr(record, name, getattr(locked, name))
    if isinstance(record, Device) and isinstance(locked, Device):
        record.last_seen = locked.last_seen
        record.removed_on = locked.removed_on


def agreement_of(votes_for: int, votes_total: int) -> str:
    """The share of "confirm" among the votes: all of them unanimous, more than half a
    majority, anything else split."""
    if votes_total == 0:
        return str(Agreement.NONE)
    if votes_for == votes_total:
        return str(Agreement.UNANIMOUS)
    if votes_for * 2 > votes_total:
        return str(Agreement.MAJORITY)
    return str(Agreement.SPLIT)


# --- Votes ----------------------------------------------------------------------------


def tally(record: Record) -> None:
    """Recount the record's votes into votes_for, votes_total, agreement and verification,
    and save them. A record confirmed by an official source stays confirmed whatever the
    votes say. The caller sets ``record._history_user`` (the voter) and holds the lock."""
    votes = _votes(record)
    total = votes.count()
    confirming = votes.filter(verdict=Vote.Verdict.CONFIRM).count()
    agreement = agreement_of(confirming, total)
    verification = record.verification
    if verification != Verification.CONFIRMED:
        agreed = agreement in (Agreement.UNANIMOUS, Agreement.MAJORITY)
        if total >= reviewers_to_corroborate() and agreed:
            verification = Verification.CORROBORATED
        else:
            verification = Verification.REPORTED
    record.votes_for = confirming
    record.votes_total = total
    record.agreement = agreement
    record.verification = verification
    _save(
        record,
        getattr(record, "_history_user", None),
        ["votes_for", "votes_total", "agreement", "verification"],
    )


def _cast(record: Record, reviewer: Any, verdict: str, note: str) -> Vote:
    """Add one vote; a second one by the same reviewer is refused (the database's unique
    constraint decides a race between two tabs)."""
    if has_voted(record, reviewer):
        raise AlreadyVoted(_("You have voted on this record already."))
    try:
        with transaction.atomic():
            return Vote.objects.create(
                **{kind_of(record): record}, reviewer=reviewer, verdict=verdict, note=note
            )
    except IntegrityError as error:
        raise AlreadyVoted(_("You have voted on this record already.")) from error


def vote(record: Record, reviewer: Any, verdict: str, note: str = "") -> Vote:
    """One reviewer's own verdict on a public record, then a new tally."""
    _require(reviewer, REVIEW_PERMISSION)
    if verdict not in Vote.Verdict.values:
        raise ReviewError(_("Choose whether you confirm or dispute the record."))
    with transaction.atomic():
        locked = _lock(record)
        if not locked.published:
            raise ReviewError(_("This record is not public: there is nothing to vote on."))
        cast = _cast(locked, reviewer, verdict, note.strip())
        locked._history_user = reviewer  # type: ignore[union-attr]
        tally(locked)
        audit(
            reviewer,
            "atlas.vote",
            target(locked),
            verdict=verdict,
            votes_total=locked.votes_total,
            agreement=locked.agreement,
            verification=locked.verification,
        )
    _refresh(record, locked)
    return cast


# --- Reports --------------------------------------------------------------------------


def _lock_pending(report: Report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.state != Report.State.PENDING:
        raise AlreadyDecided(_("This report was decided already."))
    return locked


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"fields not accepted here: {', '.join(sorted(unknown))}")


def _decided(report: Report, reviewer: Any, state: str, note: str) -> None:
    report.state = state
    report.decided_at = timezone.now()
    report.decided_by = reviewer
    report.decision_note = note
    report.save(
        update_fields=["state", "decided_at", "decided_by", "decision_note", "device", "deployment"]
    )


def _move_photos(report: Report, device: Device) -> int:
    """The report's photos become the device's; they no longer hang on the report, so
    that deleting old reports (retention) leaves the device's photos alone."""
    return int(Photo.objects.filter(report=report).update(device=device, report=None))


def accept_report(
    report: Report, reviewer: Any, note: str = "", **fields: Any
) -> Device | Deployment:
    """Accept a pending report: publish the device or deployment it describes (with the
    fields the reviewer checked and corrected), or apply a re-check to its device.

    ``fields`` are the reviewer's values (see DEVICE_FIELDS, DEPLOYMENT_FIELDS and
    RECHECK_FIELDS); for a deployment report, ``deployment=`` an existing deployment
    attaches the report to it instead of making a new one."""
    _require(reviewer, REVIEW_PERMISSION)
    note = note.strip()
    with transaction.atomic():
        locked = _lock_pending(report)
        made: Device | Deployment
        detail: dict[str, Any] = {"kind": locked.kind}
        if locked.kind == Report.Kind.DEVICE:
            made = _accept_device(locked, reviewer, fields)
            detail["photos"] = _move_photos(locked, made)
        elif locked.kind == Report.Kind.DEPLOYMENT:
            made, detail["attached"] = _accept_deployment(locked, reviewer, fields)
        elif locked.kind == Report.Kind.RECHECK:
            made, detail["found"] = _accept_recheck(locked, reviewer, fields)
            detail["photos"] = _move_photos(locked, made)
            if note:
                # A re-check that found the device changed: what changed is kept for
                # organisers in the log as well as on the report.
                detail["note"] = note
        else:
            raise ReviewError(_("This report is of an unknown kind."))
        _decided(locked, reviewer, Report.State.ACCEPTED, note)
        detail["record"] = target(made)
        audit(reviewer, "atlas.report_accept", f"report:{locked.pk}", **detail)
    report.refresh_from_db()
    return made


def _keep(name: str, value: Any) -> bool:
    """Whether an empty value leaves the default (the report's coordinates, the day it
    was seen) rather than clearing a field (a deployment, a direction)."""
    return value is None and name in ("latitude", "longitude", "first_seen")


def _accept_device(report: Report, reviewer: Any, fields: dict[str, Any]) -> Device:
    _check_fields(fields, DEVICE_FIELDS)
    values: dict[str, Any] = {
        "latitude": report.latitude,
        "longitude": report.longitude,
        "deployment": report.deployment,
        "city": report.city[:120],
        "place": report.place[:200],
        "first_seen": report.seen_on,
    }
    values.update({name: value for name, value in fields.items() if not _keep(name, value)})
    if values["latitude"] is None or values["longitude"] is None:
        raise ReviewError(_("Give the device's latitude and longitude before accepting it."))
    if values["first_seen"] > report.seen_on:
        raise ReviewError(_("It cannot have been first seen after the day of the report."))
    device = Device(
        **values,
        last_seen=report.seen_on,
        published=True,
        verification=Verification.REPORTED,
    )
    _clean(device, exclude=["deployment"])
    _save(device, reviewer)
    report.device = device
    report.deployment = device.deployment
    _cast(device, reviewer, Vote.Verdict.CONFIRM, "")
    device._history_user = reviewer  # type: ignore[attr-defined]
    tally(device)
    return device


def unique_slug(name: str) -> str:
    base = slugify(name)[:SLUG_MAX].strip("-") or "deployment"
    slug, n = base, 2
    while Deployment.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _accept_deployment(
    report: Report, reviewer: Any, fields: dict[str, Any]
) -> tuple[Deployment, bool]:
    existing = fields.pop("deployment", None)
    if existing is not None:
        # The report tells of a deployment we have: it adds to that one.
        report.deployment = existing
        return existing, True
    _check_fields(fields, DEPLOYMENT_FIELDS)
    values: dict[str, Any] = {
        "city": report.city[:120],
        "description": report.description,
        "latitude": report.latitude,
        "longitude": report.longitude,
    }
    values.update({name: value for name, value in fields.items() if value is not None})
    if not str(values.get("name", "")).strip():
        raise ReviewError(_("Give the deployment a name before accepting it."))
    if not values.get("country"):
        raise ReviewError(_("Give the deployment's country before accepting it."))
    deployment = Deployment(
        **values,
        slug=unique_slug(values["name"]),
        published=True,
        verification=Verification.REPORTED,
    )
    _clean(deployment)
    _save(deployment, reviewer)
    report.deployment = deployment
    _cast(deployment, reviewer, Vote.Verdict.CONFIRM, "")
    deployment._history_user = reviewer  # type: ignore[attr-defined]
    tally(deployment)
    return deployment, False


def _accept_recheck(report: Report, reviewer: Any, fields: dict[str, Any]) -> tuple[Device, str]:
    _check_fields(fields, RECHECK_FIELDS)
    if report.device_id is None:
        raise ReviewError(_("This re-check names no device."))
    device = Device.objects.select_for_update().get(pk=report.device_id)
    found = fields.pop("found", None) or report.found or Report.Found.STILL_THERE
    if found not in Report.Found.values:
        raise ReviewError(_("Choose what the re-check found."))
    seen_on = report.seen_on
    for name, value in fields.items():
        if not _keep(name, value):
            setattr(device, name, value)
    if found == Report.Found.GONE:
        # Off the map, kept on record: the earliest report of it gone counts.
        if device.removed_on is None or seen_on < device.removed_on:
            device.removed_on = seen_on
    else:
        # Still there, or there but changed: it was seen that day. An old re-check
        # reviewed late never moves the date back.
        if seen_on > device.last_seen:
            device.last_seen = seen_on
        if device.removed_on is not None and seen_on >= device.removed_on:
            # Seen again after someone found it gone: it is back.
            device.removed_on = None
    _clean(device, exclude=["deployment"])
    _save(device, reviewer)
    report.deployment = device.deployment
    return device, str(found)


def reject_report(report: Report, reviewer: Any, note: str) -> None:
    """Reject a pending report; nothing of it becomes public. The note says why, for the
    other reviewers."""
    _require(reviewer, REVIEW_PERMISSION)
    with transaction.atomic():
        locked = _lock_pending(report)
        _decided(locked, reviewer, Report.State.REJECTED, note.strip())
        audit(reviewer, "atlas.report_reject", f"report:{locked.pk}", kind=locked.kind)
    report.refresh_from_db()


# --- Official confirmation, withdrawal ------------------------------------------------


def _belongs(evidence: Evidence, record: Record) -> bool:
    if isinstance(record, Device):
        return evidence.device_id == record.pk
    return evidence.deployment_id == record.pk


def confirm_official(record: Record, evidence: Evidence, user: Any) -> None:
    """Mark the record confirmed by an official source: an FOI answer, an official
    statement or a procurement record attached to it."""
    _require(user, CONFIRM_PERMISSION)
    if not _belongs(evidence, record):
        raise NotOfficial(_("This evidence is not attached to this record."))
    if evidence.kind not in Evidence.OFFICIAL_KINDS:
        raise NotOfficial(
            _(
                "Only an official source confirms a record: an answer to an FOI request,"
                " an official statement or a procurement record."
            )
        )
    with transaction.atomic():
        locked = _lock(record)
        if locked.verification == Verification.CONFIRMED:
            raise AlreadyInState(_("This record is confirmed already."))
        before = locked.verification
        locked.verification = Verification.CONFIRMED
        _save(locked, user, ["verification"])
        audit(
            user,
            "atlas.confirm_official",
            target(locked),
            evidence=evidence.pk,
            evidence_kind=evidence.kind,
            before=before,
        )
    _refresh(record, locked)


def withdraw(record: Record, user: Any, note: str) -> None:
    """Take a wrong record off every public page, file and map; it stays on record (and
    in its history), and can be published again."""
    _require(user, CONFIRM_PERMISSION)
    note = note.strip()
    if not note:
        raise ReviewError(_("Say why the record is withdrawn."))
    with transaction.atomic():
        locked = _lock(record)
        if not locked.published:
            raise AlreadyInState(_("This record is withdrawn already."))
        locked.published = False
        _save(locked, user, ["published"])
        audit(user, "atlas.withdraw", target(locked), note=note)
    _refresh(record, locked)


def republish(record: Record, user: Any, note: str = "") -> None:
    """Publish a withdrawn record again (it was right after all)."""
    _require(user, CONFIRM_PERMISSION)
    with transaction.atomic():
        locked = _lock(record)
        if locked.published:
            raise AlreadyInState(_("This record is public already."))
        locked.published = True
        _save(locked, user, ["published"])
        audit(user, "atlas.republish", target(locked), note=note.strip())
    _refresh(record, locked)


# --- What a reviewer has to do ----------------------------------------------------------


def pending_reports() -> Any:
    return Report.objects.filter(state=Report.State.PENDING).order_by("created_at", "pk")


def awaiting_votes(model: type[Record], reviewer: Any) -> Any:
    """Public records still only reported, on which this reviewer has not voted."""
    rows: Any = model.objects.filter(published=True, verification=Verification.REPORTED)
    if model is Device:
        # A device a re-check found gone is off the map: nothing to vote on.
        rows = rows.filter(removed_on__isnull=True)
    return rows.exclude(vote_set__reviewer=reviewer).order_by("created_at", "pk")
