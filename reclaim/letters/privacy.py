"""What the signature engine holds about an email address, for data-subject requests."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.letters import services
from reclaim.letters.models import Signature
from reclaim.privacy.registry import Finder, Found, Text


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _signature_row(signature: Signature) -> dict[str, object]:
    petition = signature.petition
    sealed = bytes(signature.sealed) if signature.sealed is not None else None
    return {
        "petition": petition.title,
        "petition_slug": petition.slug,
        "petition_kind": petition.kind,
        "kind": signature.kind,
        "country": str(signature.country),
        "language": signature.language,
        "signed_at": _when(signature.created_at),
        "confirmed_at": _when(signature.confirmed_at),
        "invalidated_at": _when(signature.invalidated_at),
        "listed_name": signature.public_name or None,
        "listed_website": signature.public_website or None,
        "deletion_date": _when(petition.deletion_date),
        "key_id": signature.key_id,
        "sealed_base64": base64.b64encode(sealed).decode("ascii") if sealed else None,
    }


def _signature_shown(signature: Signature) -> list[tuple[Text, Any]]:
    petition = signature.petition
    return [
        (_("Petition or letter"), petition.title),
        (_("Signed as"), signature.get_kind_display()),
        (_("Country"), countries.name(str(signature.country))),
        (_("Signed"), signature.created_at),
        (_("Confirmed"), signature.confirmed_at or _("not confirmed")),
        (_("Name in the public list"), signature.public_name or _("not listed")),
        (_("Deleted on"), petition.deletion_date.date()),
        (_("Encryption key"), signature.key_id),
    ]


def signatures(email_hash: str) -> Found:
    found = list(
        Signature.objects.select_related("petition")
        .filter(email_hash=email_hash, personal_data_deleted_at__isnull=True)
        .order_by("created_at", "pk")
    )
    ids = [s.pk for s in found]

    return Found(
        label=_("Signatures"),
        rows=[_signature_row(s) for s in found],
        erase=lambda: services.erase_signatures(ids),
        note=_(
            "Your name, email address, comment and choices are in the sealed box, encrypted"
            " to the campaign's key. This server cannot read it: only the campaign, with the"
            " key it keeps offline, can decrypt it."
        ),
        shown=[_signature_shown(s) for s in found],
    )


FINDERS = [Finder("signatures", signatures)]
