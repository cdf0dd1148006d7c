from __future__ import annotations

from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.keyring.models import PublicKey
from reclaim.lib.processcache import ProcessCache
from reclaim.lib.sealing import KeyPair, generate_keypair, load_public_pem

# The active keys, newest first, read for every signature: kept a couple of seconds in the
# process. A key created or retired in another process (the `reclaim keys` command) is used
# or dropped here within RECLAIM["PROCESS_CACHE_SECONDS"]; a retired key's holder still has
# its file, so a box sealed to it in those seconds is still read.
_active = ProcessCache[tuple[PublicKey, ...]]("active-keys", maxsize=1)
_active.clear_on_change(PublicKey)


class NoKeyError(Exception):
    """No active public key: an organiser must run `reclaim keys create` first."""


def create_key(holder: str, passphrase: str, actor: object = None) -> KeyPair:
    """Generate a key pair and store only its public half. The caller writes the file."""
    pair = generate_keypair(passphrase, holder)
    with transaction.atomic():
        PublicKey.objects.create(key_id=pair.key_id, holder=holder, public_pem=pair.public_pem)
        record(actor, "key.create", target=f"key:{pair.key_id}", holder=holder)
    return pair


def retire_key(key_id: str, actor: object = None) -> None:
    with transaction.atomic():
        updated = PublicKey.objects.filter(key_id=key_id, retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        _active.clear()
        record(actor, "key.retire", target=f"key:{key_id}", count=updated)


def active_keys() -> tuple[PublicKey, ...]:
    """Every active key, newest first."""
    return _active.get("all", lambda: tuple(PublicKey.objects.active()))


def current_key() -> PublicKey:
    """The newest active key: new data is sealed to it, older rows keep their own key id."""
    keys = active_keys()
    if not keys:
        raise NoKeyError("No active public key. Run `reclaim keys create` first.")
    return keys[0]


def active_key(key_id: str) -> PublicKey | None:
    """The active key with this id, or None (unknown or retired).

    A browser seals to the key its page carried: any key still active is accepted, not only
    the newest, so a key created between loading the page and signing refuses nobody."""
    return next((key for key in active_keys() if key.key_id == key_id), None)


@lru_cache(maxsize=32)
def parsed_public_key(pem: str) -> ec.EllipticCurvePublicKey:
    return load_public_pem(pem)


def holders() -> list[str]:
    """Who can read sealed data: the holders of every active key."""
    return sorted(set(PublicKey.objects.active().values_list("holder", flat=True)))
