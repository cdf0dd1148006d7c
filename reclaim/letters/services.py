"""Every write of the signature engine goes through a function here."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.keyring.services import current_key, parsed_public_key
from reclaim.letters.models import Petition, Signature
from reclaim.lib.emailhash import email_hash
from reclaim.lib.sealing import seal
from reclaim.mail.services import queue_mail
from reclaim.shield.network import domain_hash

CONFIRM_MAIL = "letters.confirm"
ALREADY_SIGNED_MAIL = "letters.already_signed"


class PetitionClosed(Exception):
    """The petition does not accept signatures (draft, closed, or outside its dates)."""


@dataclass(frozen=True)
class SignerData:
    kind: str
    name: str
    email: str
    country: str
    comment: str = ""
    website: str = ""
    contact_name: str = ""
    listed: bool = False
    newsletter: bool = False

    def sealed_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "kind": self.kind,
            "name": self.name,
            "email": self.email,
            "country": self.country,
            "listed": self.listed,
            "newsletter": self.newsletter,
        }
        if self.comment:
            payload["comment"] = self.comment
        if self.kind == Signature.Kind.ORGANISATION:
            payload["website"] = self.website
            payload["contact_name"] = self.contact_name
        return payload


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_deadline(signature: Signature) -> Any:
    return signature.created_at + timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])


def sign_petition(
    petition: Petition, data: SignerData, language: str, source: str = ""
) -> Signature | None:
    """Record a signature and queue its confirmation mail, in one transaction.

    A second signature with the same address creates nothing: the existing signer gets a
    mail saying so, and the caller shows the same "check your inbox" page either way.
    Returns the new signature, or None for a duplicate.
    """
    if not petition.is_accepting():
        raise PetitionClosed
    key = current_key()
    is_org = data.kind == Signature.Kind.ORGANISATION
    # Organisations are listed once approved; individuals only if they asked to be.
    listed = True if is_org else data.listed
    signature = Signature(
        petition=petition,
        kind=data.kind,
        country=data.country,
        language=language,
        sealed=seal(parsed_public_key(key.public_pem), data.sealed_payload(), petition.context()),
        key_id=key.key_id,
        email_hash=email_hash(data.email),
        source_hash=source,
        email_domain_hash=domain_hash(data.email.rpartition("@")[2]),
        listed=listed,
        public_name=data.name if listed else "",
        public_website=data.website if is_org else "",
        review=Signature.Review.PENDING if is_org else "",
    )
    try:
        with transaction.atomic():
            signature.save()
            queue_mail(CONFIRM_MAIL, data.email, language, signature.pk)
    except IntegrityError:
        existing = Signature.objects.filter(
            petition=petition, email_hash=signature.email_hash
        ).first()
        if existing is None:  # withdrawn in between: let the visitor try again
            raise
        with transaction.atomic():
            queue_mail(ALREADY_SIGNED_MAIL, data.email, language, existing.pk)
        return None
    return signature


def issue_token(signature: Signature) -> str:
    """A fresh secret for the signer's links. Only its hash is stored."""
    token = secrets.token_urlsafe(32)
    Signature.objects.filter(pk=signature.pk).update(token_hash=hash_token(token))
    return token


def find_by_token(token: str) -> Signature | None:
    if not token or len(token) > 100:
        return None
    return (
        Signature.objects.select_related("petition")
        .filter(token_hash=hash_token(token), personal_data_deleted_at__isnull=True)
        .first()
    )


def can_confirm(signature: Signature) -> bool:
    return signature.confirmed_at is None and timezone.now() < confirmation_deadline(signature)


def confirm_signature(signature: Signature) -> bool:
    """Confirm by POST from the mailed link. Idempotent; expired links confirm nothing."""
    if signature.confirmed_at is not None:
        return True
    if not can_confirm(signature):
        return False
    now = timezone.now()
    updated = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
        confirmed_at=now
    )
    if updated:
        signature.confirmed_at = now
    return True


def withdraw_signature(signature: Signature) -> None:
    """The signer's own two-step withdrawal: the row goes, and leaves the next count."""
    with transaction.atomic():
        Signature.objects.filter(pk=signature.pk).delete()
        record("signer", "signature.withdraw", target=f"petition:{signature.petition_id}", count=1)


def _staff_update(actor: Any, action: str, queryset: Any, **changes: Any) -> int:
    with transaction.atomic():
        ids = list(queryset.values_list("pk", flat=True))
        count = Signature.objects.filter(pk__in=ids).update(**changes)
        record(actor, action, target="signatures", count=count, ids=ids[:1000])
    return count


def invalidate_signatures(actor: Any, queryset: Any) -> int:
    return _staff_update(
        actor,
        "signature.invalidate",
        queryset.filter(invalidated_at__isnull=True),
        invalidated_at=timezone.now(),
    )


def restore_signatures(actor: Any, queryset: Any) -> int:
    return _staff_update(
        actor,
        "signature.restore",
        queryset.filter(invalidated_at__isnull=False),
        invalidated_at=None,
    )


def approve_organisations(actor: Any, queryset: Any) -> int:
    return _staff_update(
        actor,
        "signature.approve",
        queryset.filter(kind=Signature.Kind.ORGANISATION),
        review=Signature.Review.APPROVED,
    )


def reject_organisations(actor: Any, queryset: Any) -> int:
    return _staff_update(
        actor,
        "signature.reject",
        queryset.filter(kind=Signature.Kind.ORGANISATION),
        review=Signature.Review.REJECTED,
    )


def hide_names(actor: Any, queryset: Any) -> int:
    return _staff_update(
        actor, "signature.hide", queryset.filter(hidden_at__isnull=True), hidden_at=timezone.now()
    )
