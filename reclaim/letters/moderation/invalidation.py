"""Invalidating signatures: the one way it is done, by rule or by selection.

Every invalidation is an :class:`InvalidationRun` with an audit entry, whether an organiser
ticked signatures in the admin (:func:`invalidate_selected`) or wrote a rule on the bulk
page. A rule names what a bot run has in common: hashed network sources, an email domain, a
country, a time window, a petition. The organiser previews it (the exact number it hits),
confirms that number, and :func:`run` invalidates exactly those signatures or refuses if
the number has changed since. Invalidated signatures leave the counts at the next
aggregation; :func:`undo` brings a run back until :func:`purge_invalidated` deletes its
signatures at the next purge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from email_validator import EmailNotValidError, validate_email

from reclaim.audit.services import actor_name, record
from reclaim.letters.models import Signature
from reclaim.letters.moderation.models import InvalidationRun
from reclaim.letters.moderation.trending import public_domain
from reclaim.shield.network import domain_hash

# A shorter prefix would start to catch unrelated networks (4 hex digits: 1 in 65,536).
MIN_SOURCE_PREFIX = 6
SOURCE = re.compile(rf"[0-9a-f]{{{MIN_SOURCE_PREFIX},32}}")
SEPARATORS = re.compile(r"[\s,;]+")


class StalePreview(ValidationError):
    """The rule no longer hits the number of signatures the organiser confirmed."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            _(
                "The rule now matches %(actual)d signatures, not the %(expected)d of your "
                "preview. Nothing was invalidated: check the new preview and confirm again."
            ),
            code="stale",
            params={"actual": actual, "expected": expected},
        )
        self.expected = expected
        self.actual = actual


class CannotUndo(ValidationError):
    pass


@dataclass(frozen=True)
class Rule:
    """What to invalidate. Criteria combine with AND; several source prefixes (separated
    by spaces or commas) combine with OR, so one rule can take a bot's few networks."""

    petition_id: int | None = None
    email_domain: str = ""
    source: str = ""
    country: str = ""
    created_from: datetime | None = None
    created_to: datetime | None = None
    include_confirmed: bool = True

    def sources(self) -> list[str]:
        return [s for s in SEPARATORS.split(self.source.strip().lower()) if s]

    def domain(self) -> str:
        """The typed domain as the signing form stores it (email-validator's form)."""
        typed = self.email_domain.strip().lstrip("@").rstrip(".")
        if not typed:
            return ""
        try:
            return validate_email(f"x@{typed}", check_deliverability=False).domain.lower()
        except EmailNotValidError as exc:
            raise ValidationError(
                {"email_domain": _("Enter a domain such as example.org, without the @.")},
                code="invalid",
            ) from exc

    def has_criterion(self) -> bool:
        return bool(
            self.email_domain.strip()
            or self.sources()
            or self.country
            or self.created_from
            or self.created_to
        )

    def as_record(self) -> dict[str, Any]:
        """The rule for the run and the audit log, without personal data: a domain is
        named only if it is a public mail service, sources only by their prefix."""
        data: dict[str, Any] = {"include_confirmed": self.include_confirmed}
        if self.petition_id:
            data["petition"] = self.petition_id
        if domain := self.domain():
            hashed = domain_hash(domain)
            data["email_domain"] = public_domain(hashed) or f"hash:{hashed[:12]}"
        if self.sources():
            data["sources"] = self.sources()
        if self.country:
            data["country"] = self.country.upper()
        if self.created_from:
            data["created_from"] = self.created_from.isoformat()
        if self.created_to:
            data["created_to"] = self.created_to.isoformat()
        return data


def validate(rule: Rule) -> None:
    """Refuse a rule that would hit a whole petition, or that cannot mean what it says."""
    if not rule.has_criterion():
        raise ValidationError(
            _(
                "Choose at least one criterion besides the petition: an email domain, a "
                "source, a country or a time window."
            ),
            code="no_criterion",
        )
    bad = [s for s in rule.sources() if not SOURCE.fullmatch(s)]
    if bad:
        raise ValidationError(
            {
                "source": _(
                    "A source is the first %(min)d to 32 characters (0-9, a-f) of its hash, "
                    "as shown in an alert."
                )
                % {"min": MIN_SOURCE_PREFIX}
            },
            code="invalid",
        )
    if rule.created_from and rule.created_to and rule.created_from >= rule.created_to:
        raise ValidationError(
            {"created_to": _("The end of the time window must be after its start.")},
            code="invalid",
        )
    rule.domain()


def matching(rule: Rule) -> QuerySet[Signature]:
    """The signatures the rule hits that are not invalidated yet."""
    validate(rule)
    qs = Signature.objects.filter(invalidated_at__isnull=True)
    if rule.petition_id:
        qs = qs.filter(petition_id=rule.petition_id)
    if domain := rule.domain():
        qs = qs.filter(email_domain_hash=domain_hash(domain))
    if sources := rule.sources():
        any_source = Q()
        for prefix in sources:
            any_source |= Q(source_hash__startswith=prefix)
        qs = qs.filter(any_source)
    if rule.country:
        qs = qs.filter(country=rule.country.upper())
    if rule.created_from:
        qs = qs.filter(created_at__gte=rule.created_from)
    if rule.created_to:
        qs = qs.filter(created_at__lt=rule.created_to)
    if not rule.include_confirmed:
        qs = qs.filter(confirmed_at__isnull=True)
    return qs


def preview(rule: Rule) -> int:
    """Exactly how many signatures :func:`run` would invalidate now."""
    return matching(rule).order_by().count()


def breakdown(rule: Rule) -> list[tuple[str, int, int]]:
    """(country, signatures, of which confirmed), largest first."""
    rows = (
        matching(rule)
        .order_by()
        .values_list("country")
        .annotate(n=Count("id"), confirmed=Count("id", filter=Q(confirmed_at__isnull=False)))
        .values_list("country", "n", "confirmed")
    )
    return sorted(((str(c), n, k) for c, n, k in rows), key=lambda row: (-row[1], row[0]))


def _invalidate(
    signatures: QuerySet[Signature],
    actor: Any,
    rule: dict[str, Any],
    expected_count: int | None = None,
) -> InvalidationRun:
    """Invalidate the signatures not invalidated yet as one run, in one transaction. With
    ``expected_count``, raise :class:`StalePreview` and change nothing unless the run hits
    exactly that many."""
    with transaction.atomic():
        invalidation = InvalidationRun.objects.create(rule=rule, count=0, actor=actor_name(actor))
        # The UPDATE is the count: on PostgreSQL it re-checks each row it waited for, so
        # a signature invalidated meanwhile by someone else is neither hit nor counted.
        count = signatures.filter(invalidated_at__isnull=True).update(
            invalidated_at=timezone.now(), invalidation_run=invalidation
        )
        if expected_count is not None and count != expected_count:
            raise StalePreview(expected_count, count)  # rolls the whole run back
        invalidation.count = count
        invalidation.save(update_fields=["count"])
        record(
            actor,
            "signature.invalidate",
            target=f"invalidation:{invalidation.pk}",
            count=count,
            rule=rule,
        )
    return invalidation


def run(rule: Rule, actor: Any, expected_count: int) -> InvalidationRun:
    """Invalidate what the rule hits, in one transaction, if it is still the previewed
    number; otherwise raise :class:`StalePreview` and change nothing."""
    validate(rule)
    if expected_count <= 0:
        raise ValidationError(_("This rule matches no signature."), code="empty")
    return _invalidate(matching(rule), actor, rule.as_record(), expected_count)


def invalidate_selected(actor: Any, signatures: QuerySet[Signature]) -> int:
    """The signatures an organiser ticked in the admin, as one run: undone, restored and
    purged like a run by rule. Returns how many were invalidated."""
    ids = list(signatures.filter(invalidated_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    return _invalidate(Signature.objects.filter(pk__in=ids), actor, {"selected": len(ids)}).count


def restore_selected(actor: Any, signatures: QuerySet[Signature]) -> int:
    """Bring back invalidated signatures an organiser ticked, whatever run they were in.
    Returns how many came back."""
    with transaction.atomic():
        ids = list(signatures.filter(invalidated_at__isnull=False).values_list("pk", flat=True))
        restored = Signature.objects.filter(pk__in=ids).update(
            invalidated_at=None, invalidation_run=None
        )
        record(actor, "signature.restore", target="signatures", count=restored, ids=ids[:1000])
    return restored


def can_undo(invalidation: InvalidationRun) -> bool:
    return invalidation.undone_at is None and invalidation.purged_at is None


def undo(invalidation: InvalidationRun, actor: Any) -> int:
    """Restore the run's signatures, unless the purge has deleted them. Returns how many
    came back (fewer than the run's count if some expired unconfirmed in between)."""
    with transaction.atomic():
        locked = InvalidationRun.objects.select_for_update().get(pk=invalidation.pk)
        if locked.purged_at is not None:
            raise CannotUndo(
                _("These signatures have been deleted by the purge: this cannot be undone."),
                code="purged",
            )
        if locked.undone_at is not None:
            raise CannotUndo(_("This invalidation has already been undone."), code="undone")
        restored = Signature.objects.filter(
            invalidation_run=locked, invalidated_at__isnull=False
        ).update(invalidated_at=None, invalidation_run=None)
        locked.undone_at = timezone.now()
        locked.save(update_fields=["undone_at"])
        record(actor, "signature.undo", target=f"invalidation:{locked.pk}", count=restored)
    invalidation.undone_at = locked.undone_at
    return restored


def purge_invalidated(dry_run: bool = False) -> int:
    """Delete the signatures of every run not undone, and close those runs to undo.

    Called by the retention engine. Returns the signatures deleted (or due, in a dry run).
    """
    due = InvalidationRun.objects.filter(undone_at__isnull=True, purged_at__isnull=True)
    if dry_run:
        return Signature.objects.filter(
            invalidation_run__in=due, invalidated_at__isnull=False
        ).count()
    with transaction.atomic():
        # Locked so that an undo cannot slip in between the delete and the mark.
        run_ids = list(due.select_for_update().values_list("pk", flat=True))
        if not run_ids:
            return 0
        _total, per_model = Signature.objects.filter(
            invalidation_run_id__in=run_ids, invalidated_at__isnull=False
        ).delete()
        deleted = per_model.get(Signature._meta.label, 0)
        InvalidationRun.objects.filter(pk__in=run_ids).update(purged_at=timezone.now())
        record("purge", "signature.purge_invalidated", target="signatures", count=deleted)
    return deleted
