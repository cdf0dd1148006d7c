"""Subscribers' addresses: sealed at rest, found by their keyed hash.

The address is encrypted under a key kept outside the database (reclaim.mail.addresses,
``seal_at_rest``): a dump of the database alone reveals none. Duplicates and the
suppression list use the keyed hash (reclaim.lib.emailhash), never the address.
"""

from __future__ import annotations

from reclaim.lib.emailhash import email_hash
from reclaim.mail.addresses import open_at_rest, seal_at_rest
from reclaim.newsletter.models import Subscription


def seal_address(address: str) -> bytes:
    return seal_at_rest(address.strip())


def hash_address(address: str) -> str:
    return email_hash(address)


def open_address(subscription: Subscription) -> str | None:
    """The address, to send mail to; None if it cannot be opened (its key is gone)."""
    try:
        return open_at_rest(subscription.address_sealed)
    except ValueError:
        return None
