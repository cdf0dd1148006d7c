"""Every write of data-subject requests goes through a function here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.lib.emailhash import email_hash
from reclaim.lib.tokens import hash_token, looks_like_token, new_token
from reclaim.mail.services import queue_mail
from reclaim.privacy.models import ACCESS_LINK_VALIDITY, DataRequest
from reclaim.privacy.registry import Found, find_all

ACCESS_MAIL = "privacy.access"

# The form sends mail to any address typed into it; without a pause it would be a way to
# flood someone's inbox. One mail per address per ten minutes still lets a person who
# lost the first one ask again soon. A repeat within the pause gets the same page.
RESEND_PAUSE = timedelta(minutes=10)


class LinkInvalid(Exception):
    """The token is unknown (never issued, or its request was deleted) or has expired."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "unknown")
        self.expired = expired


def request_access(address: str, language: str) -> None:
    """Queue the mail with the link to one's data, whether or not anything is stored.

    The same rows are written for a known and an unknown address, and nothing is looked
    up: the person at the form learns nothing. The mail, which only the owner of the
    address reads, says whether records were found (see reclaim.privacy.mails).
    """
    digest = email_hash(address)
    with transaction.atomic():
        if DataRequest.objects.filter(
            email_hash=digest, created_at__gt=timezone.now() - RESEND_PAUSE
        ).exists():
            return
        data_request = DataRequest.objects.create(email_hash=digest)
        queue_mail(ACCESS_MAIL, address, language, data_request.pk)


def issue_token(data_request: DataRequest) -> str:
    """A fresh secret for the mailed link. Only its hash is stored."""
    token = new_token()
    DataRequest.objects.filter(pk=data_request.pk).update(token_hash=hash_token(token))
    return token


def request_for_link(token: str) -> DataRequest:
    if not looks_like_token(token):
        raise LinkInvalid(expired=False)
    data_request = DataRequest.objects.filter(token_hash=hash_token(token)).first()
    if data_request is None:
        raise LinkInvalid(expired=False)
    if data_request.is_expired():
        raise LinkInvalid(expired=True)
    return data_request


def mark_opened(data_request: DataRequest) -> None:
    """The only change a GET of the link makes: the first time it was opened."""
    now = timezone.now()
    if DataRequest.objects.filter(pk=data_request.pk, opened_at__isnull=True).update(opened_at=now):
        data_request.opened_at = now


def records(data_request: DataRequest) -> dict[str, Found]:
    return find_all(data_request.email_hash)


def export(data_request: DataRequest) -> dict[str, Any]:
    """The person's own data, as the server can read it, for download."""
    return {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "records": {
            name: {"label": str(found.label), "note": str(found.note), "records": found.rows}
            for name, found in records(data_request).items()
        },
    }


def erase(data_request: DataRequest) -> dict[str, int]:
    """Step two of erasure: delete every record found under the address, in one
    transaction, and say so in the audit log with counts only."""
    with transaction.atomic():
        counts = {name: found.erase() for name, found in records(data_request).items()}
        now = timezone.now()
        DataRequest.objects.filter(pk=data_request.pk).update(completed_at=now)
        data_request.completed_at = now
        record(
            "data subject",
            "privacy.erase",
            target=f"data-request:{data_request.pk}",
            count=sum(counts.values()),
            counts=counts,
        )
    return counts


def expired_requests() -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(created_at__lte=timezone.now() - ACCESS_LINK_VALIDITY)


def purge_expired_requests() -> int:
    """Requests whose link has expired go, with the hash of their address and token."""
    deleted, _detail = expired_requests().delete()
    return deleted
