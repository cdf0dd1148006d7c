"""Every write of the signature engine goes through a function here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.keyring.models import PublicKey
from reclaim.keyring.services import current_key, parsed_public_key
from reclaim.letters.models import Petition, Signature
from reclaim.letters.signals import news_wanted
from reclaim.lib.emailhash import email_hash
from reclaim.lib.sealing import seal
from reclaim.lib.tokens import hash_token, looks_like_token, new_token
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


@dataclass(frozen=True)
class BrowserBox:
    """The signer's data as their browser sealed it (reclaim/static/reclaim/seal.js), to
    ``key``: checked by the form as far as the server can without the private key, and
    stored as it arrived."""

    sealed: bytes
    key: PublicKey


def confirmation_deadline(signature: Signature) -> Any:
    return signature.created_at + timedelta(days=settings.RECLAIM["CONFIRMATION_DAYS"])


def build_signature(
    petition: Petition,
    data: SignerData,
    language: str,
    key: PublicKey | None = None,
    source: str = "",
    box: BrowserBox | None = None,
) -> Signature:
    """A new, unsaved signature of ``data``, the one way a signature is made from what a
    signer gave: the personal data sealed to ``key`` (the current key by default), the
    email and its domain hashed, and only what the signer chose to publish left readable.

    With ``box``, the signer's browser sealed the data already: the box is stored as it
    came, and ``data`` holds only what travelled readable (the email, the country, the
    choices, and the name a listed signer publishes).

    Organisations are listed once a moderator approves them; individuals only if they
    asked to be. Used by every path that stores signatures (signing, importing), so that
    all rows carry the same fields."""
    if box is not None:
        key, sealed = box.key, box.sealed
    else:
        key = key or current_key()
        sealed = seal(parsed_public_key(key.public_pem), data.sealed_payload(), petition.context())
    is_org = data.kind == Signature.Kind.ORGANISATION
    listed = True if is_org else data.listed
    return Signature(
        petition=petition,
        kind=data.kind,
        country=data.country,
        language=language,
        sealed=sealed,
        key_id=key.key_id,
        email_hash=email_hash(data.email),
        source_hash=source,
        email_domain_hash=domain_hash(data.email.rpartition("@")[2]),
        listed=listed,
        public_name=data.name if listed else "",
        public_website=data.website if is_org else "",
        review=Signature.Review.PENDING if is_org else Signature.Review.NOT_NEEDED,
    )


def sign_petition(
    petition: Petition,
    data: SignerData,
    language: str,
    source: str = "",
    box: BrowserBox | None = None,
    widget_key: str = "",
) -> Signature | None:
    """Record a signature and queue its confirmation mail, in one transaction.

    A second signature with the same address creates nothing: the existing signer gets a
    mail saying so, and the caller shows the same "check your inbox" page either way.
    ``box`` is the data as the signer's browser sealed it (see build_signature).
    ``widget_key`` is the partner's widget it came through, as the caller checked it
    (reclaim.coalition: this app does not know widgets, it only keeps the key).
    Returns the new signature, or None for a duplicate.
    """
    if not petition.is_accepting():
        raise PetitionClosed
    signature = build_signature(petition, data, language, source=source, box=box)
    signature.widget_key = widget_key
    try:
        with transaction.atomic():
            signature.save()
            queue_mail(CONFIRM_MAIL, data.email, language, signature.pk)
            if data.newsletter:
                # The newsletter app subscribes (pending, with its own confirmation mail);
                # its receiver runs in a savepoint of its own and cannot undo the signature.
                news_wanted.send(
                    sender=Signature,
                    petition=petition,
                    email=data.email,
                    language=language,
                    country=data.country,
                    widget_key=widget_key,
                )
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


@dataclass(frozen=True)
class ImportedSigner:
    """A signature collected elsewhere (on paper, on another site, or invented for the
    demo): what the signer gave, the language they used, when they signed and when they
    confirmed (None: not yet)."""

    data: SignerData
    language: str
    signed_at: datetime
    confirmed_at: datetime | None = None


# Rows per INSERT statement (the database backend may split it further), and rows per
# transaction, each with its own audit entry. A transaction holds SQLite's only write
# lock, so a large import must not keep the site's signers waiting on one (as
# retention.PURGE_BATCH); the demo's few thousand fit in one.
IMPORT_BATCH = 500
IMPORT_TRANSACTION = 10_000


def _chunks(items: Iterable[ImportedSigner], size: int) -> Iterator[list[ImportedSigner]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _present(petition: Petition, hashes: list[str]) -> set[str]:
    """Which of these email hashes are on the petition already."""
    present: set[str] = set()
    for start in range(0, len(hashes), IMPORT_BATCH):
        found = Signature.objects.filter(
            petition=petition, email_hash__in=hashes[start : start + IMPORT_BATCH]
        ).values_list("email_hash", flat=True)
        present.update(hashed for hashed in found if hashed is not None)
    return present


def import_signatures(petition: Petition, signers: Iterable[ImportedSigner], actor: Any) -> int:
    """Store signatures collected elsewhere, confirmed or not, without sending any mail.

    Each row is built as a signature made on this site is (``build_signature``: sealed to
    the current key, email and domain hashed, organisations waiting for approval). An
    address already on the petition, or twice in ``signers``, is skipped, so importing
    the same list again adds nothing. The petition need not be open: a closed letter's
    co-signers can be brought in. Returns how many were added.

    Rows are sealed before their transaction opens and inserted in batches; every
    transaction writes its "signature.import" entry. An address signed on the site
    between the check and the insert makes that transaction fail (IntegrityError) and
    leave nothing: import again, and the rest goes in.
    """
    key = current_key()
    added = 0
    seen: set[str] = set()
    for chunk in _chunks(signers, IMPORT_TRANSACTION):
        hashed = [(email_hash(signer.data.email), signer) for signer in chunk]
        present = _present(petition, [h for h, _signer in hashed if h not in seen])
        rows = []
        for hash_, signer in hashed:
            if hash_ in seen or hash_ in present:
                continue
            seen.add(hash_)
            row = build_signature(petition, signer.data, signer.language, key)
            row.created_at = signer.signed_at
            row.confirmed_at = signer.confirmed_at
            rows.append(row)
        if not rows:
            continue
        confirmed = sum(1 for row in rows if row.confirmed_at is not None)
        with transaction.atomic():
            Signature.objects.bulk_create(rows, batch_size=IMPORT_BATCH)
            record(
                actor,
                "signature.import",
                target=f"petition:{petition.pk}",
                count=len(rows),
                confirmed=confirmed,
                unconfirmed=len(rows) - confirmed,
            )
        added += len(rows)
    return added


def create_petition(slug: str, **fields: Any) -> tuple[Petition, bool]:
    """A petition or open letter at ``slug`` with ``fields``, unless one is there already
    (then it is returned as it is, never changed). Returns (petition, created)."""
    with transaction.atomic():
        return Petition.objects.get_or_create(slug=slug, defaults=fields)


def issue_token(signature: Signature) -> str:
    """A fresh secret for the signer's links. Only its hash is stored."""
    token = new_token()
    Signature.objects.filter(pk=signature.pk).update(token_hash=hash_token(token))
    return token


def find_by_token(token: str) -> Signature | None:
    if not looks_like_token(token):
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


def erase_signatures(ids: list[int]) -> int:
    """A data-subject request's erasure: as a withdrawal does, the rows go and leave the
    count at its next update. The caller audits the request as a whole."""
    with transaction.atomic():
        _total, per_model = Signature.objects.filter(pk__in=ids).delete()
    return per_model.get(Signature._meta.label, 0)


def _staff_update(actor: Any, action: str, queryset: Any, **changes: Any) -> int:
    with transaction.atomic():
        ids = list(queryset.values_list("pk", flat=True))
        count = Signature.objects.filter(pk__in=ids).update(**changes)
        record(actor, action, target="signatures", count=count, ids=ids[:1000])
    return count


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
