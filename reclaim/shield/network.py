"""The client's network, hashed: the only trace of an address reclaim ever keeps.

The address is read once per request, reduced to its network (the /24 of an IPv4 address,
the /48 of an IPv6 one, so neighbours behind one carrier NAT share a key and one person
cannot be singled out), and turned into an HMAC under a salt that lives for one day. The
address itself is never stored, logged or passed on.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from reclaim.lib.processcache import ProcessCache
from reclaim.shield.models import DailySalt

# Today's salt, read for every guarded request. Keyed by the day, so it changes at
# midnight without being told; kept an hour so a salt deleted by hand is not used for long.
_salts = ProcessCache[str]("daily-salt", maxsize=2, seconds=3600)


def client_address(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only for the configured proxy hops.

    With N trusted proxies in front, the Nth address from the right of X-Forwarded-For is
    the one the outermost trusted proxy saw; anything further left is client-supplied.
    """
    hops = int(settings.RECLAIM["TRUSTED_PROXY_HOPS"])
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def network_of(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def today_salt() -> str:
    """Today's salt, made once by whichever process asks first; older salts are deleted."""
    day = timezone.localdate()
    return _salts.get(day, lambda: _load_salt(day))


def _load_salt(day: date) -> str:
    salt = DailySalt.objects.filter(day=day).values_list("value", flat=True).first()
    if salt is None:
        try:
            with transaction.atomic():
                salt = DailySalt.objects.create(day=day, value=secrets.token_hex(32)).value
        except IntegrityError:  # another process made it first
            salt = DailySalt.objects.get(day=day).value
        DailySalt.objects.filter(day__lt=day).delete()
    return salt


def source_key(request: HttpRequest) -> str:
    """A short keyed hash of the client's network, valid for today only."""
    network = network_of(client_address(request))
    return hmac.new(today_salt().encode(), network.encode(), hashlib.sha256).hexdigest()[:32]


def domain_hash(domain: str) -> str:
    """A keyed hash of an email domain: rules and alerts compare it, nobody reads it back."""
    key = settings.EMAIL_HASH_KEY.encode()
    return hmac.new(key, b"domain:" + domain.lower().encode(), hashlib.sha256).hexdigest()
