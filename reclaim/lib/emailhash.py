"""Keyed, canonical hashes of email addresses for duplicate detection.

An unsalted hash of an email is the email (anyone can hash a list of addresses and
compare), so the hash is an HMAC under a server secret. Before hashing, the address is
folded to the mailbox it really reaches: providers that ignore dots or ``+tags`` in the
local part deliver ``j.doe+x@gmail.com`` and ``jdoe@gmail.com`` to the same person.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ProviderRule:
    canonical_domain: str
    ignores_dots: bool
    tag_separator: str | None


# Sources: Gmail help "Use dots in your Gmail address" and "create task-specific
# addresses"; Fastmail "plus addressing"; Proton "address aliases"; Microsoft "plus
# addresses in Exchange Online"; Yahoo uses disposable addresses, not tags, so it is absent.
PROVIDERS: dict[str, ProviderRule] = {
    "gmail.com": ProviderRule("gmail.com", True, "+"),
    "googlemail.com": ProviderRule("gmail.com", True, "+"),
    "fastmail.com": ProviderRule("fastmail.com", False, "+"),
    "proton.me": ProviderRule("proton.me", False, "+"),
    "protonmail.com": ProviderRule("proton.me", False, "+"),
    "pm.me": ProviderRule("proton.me", False, "+"),
    "outlook.com": ProviderRule("outlook.com", False, "+"),
    "hotmail.com": ProviderRule("hotmail.com", False, "+"),
    "icloud.com": ProviderRule("icloud.com", False, "+"),
    "posteo.de": ProviderRule("posteo.de", False, "+"),
}


def canonical_email(address: str) -> str:
    local, _, domain = address.strip().rpartition("@")
    local, domain = local.lower(), domain.lower().rstrip(".")
    rule = PROVIDERS.get(domain)
    if rule:
        if rule.tag_separator:
            local = local.split(rule.tag_separator, 1)[0]
        if rule.ignores_dots:
            local = local.replace(".", "")
        domain = rule.canonical_domain
    return f"{local}@{domain}"


def email_hash(address: str) -> str:
    key = settings.EMAIL_HASH_KEY.encode()
    return hmac.new(key, canonical_email(address).encode(), hashlib.sha256).hexdigest()
