"""Sealed boxes: hybrid public-key encryption that a browser can also produce.

Format version 1 (documented in docs/sealed-box.md)::

    box   = 0x01 || epk (65 bytes, uncompressed P-256 point) || nonce (12) || ct+tag
    ikm   = ECDH(ephemeral private key, recipient public key)   # the 32-byte x coordinate
    key   = HKDF-SHA256(ikm, salt = epk || recipient public point, info = "reclaim seal v1")
    ct    = AES-256-GCM(key, nonce, plaintext, aad = "reclaim/v1/" + context)

Every primitive is in WebCrypto (ECDH deriveBits, HKDF, AES-GCM), so the same box can be made
in the visitor's browser. The context (for example ``petition/12``) is bound as associated
data: a box moved to another petition's row fails to open.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 1
_INFO = b"reclaim seal v1"
_POINT_LEN = 65
_NONCE_LEN = 12
_TAG_LEN = 16
# Bytes of a box around its ciphertext: version, ephemeral point, nonce, tag.
BOX_OVERHEAD = 1 + _POINT_LEN + _NONCE_LEN + _TAG_LEN
KEY_FILE_FORMAT = "reclaim-private-key-v1"


class SealError(Exception):
    """A box could not be opened: wrong key, wrong context, or tampered data."""


class BoxError(ValueError):
    """A box made elsewhere (in the signer's browser) is not one the server may store.

    ``reason`` says which check failed: "encoding" (not base64), "version", "point" (the
    ephemeral key is not a P-256 point), "too_small" or "too_large"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _point(public_key: ec.EllipticCurvePublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def key_id_for(public_key: ec.EllipticCurvePublicKey) -> str:
    """A short, stable fingerprint of a public key (first 16 bytes of SHA-256, hex)."""
    return hashlib.sha256(_point(public_key)).hexdigest()[:32]


def _aad(context: str) -> bytes:
    return f"reclaim/v{VERSION}/{context}".encode()


def _derive(shared: bytes, epk: bytes, rpk: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk + rpk, info=_INFO).derive(shared)


def load_public_pem(pem: str) -> ec.EllipticCurvePublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise ValueError("Only P-256 public keys are supported.")
    return key


def seal(public_key: ec.EllipticCurvePublicKey, payload: dict[str, Any], context: str) -> bytes:
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    epk = _point(ephemeral.public_key())
    key = _derive(ephemeral.exchange(ec.ECDH(), public_key), epk, _point(public_key))
    nonce = os.urandom(_NONCE_LEN)
    return bytes([VERSION]) + epk + nonce + AESGCM(key).encrypt(nonce, plaintext, _aad(context))


def spki_base64(pem: str) -> str:
    """The public key as base64 DER SubjectPublicKeyInfo: what WebCrypto's
    ``importKey("spki", ...)`` takes."""
    der = load_public_pem(pem).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode("ascii")


def decode_box(text: str, max_plaintext: int) -> bytes:
    """A box sent as base64 text, refused before decoding if it cannot fit the limit."""
    if len(text) > 4 * ((BOX_OVERHEAD + max_plaintext) // 3 + 1):
        raise BoxError("too_large")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise BoxError("encoding") from exc


def check_box(box: bytes, min_plaintext: int, max_plaintext: int) -> None:
    """What the server can check of a box it cannot open (it holds no private key): the
    version, that the ephemeral key is a point of P-256, and the size, given the smallest
    and largest plaintext the form allows. Whether it opens, under which key and for which
    context, only the holder of the private key can tell (the export counts the boxes that
    do not open). Raises BoxError."""
    if not box or box[0] != VERSION:
        raise BoxError("version")
    if len(box) < BOX_OVERHEAD + min_plaintext:
        raise BoxError("too_small")
    if len(box) > BOX_OVERHEAD + max_plaintext:
        raise BoxError("too_large")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), box[1 : 1 + _POINT_LEN])
    except ValueError as exc:
        raise BoxError("point") from exc


def recipient_point(private_key: ec.EllipticCurvePrivateKey) -> bytes:
    """The recipient's public point, as open_box hashes it into the key derivation.

    Deriving it from the private key costs a scalar multiplication: about 4 % of an
    export that recomputed it for every box."""
    return _point(private_key.public_key())


def open_box(
    private_key: ec.EllipticCurvePrivateKey,
    box: bytes,
    context: str,
    recipient: bytes | None = None,
) -> dict[str, Any]:
    """Open one box. ``recipient`` is recipient_point(private_key), passed by callers
    that open many boxes with the same key."""
    if recipient is None:
        recipient = recipient_point(private_key)
    if len(box) < BOX_OVERHEAD or box[0] != VERSION:
        raise SealError("Not a version 1 sealed box.")
    epk = box[1 : 1 + _POINT_LEN]
    nonce = box[1 + _POINT_LEN : 1 + _POINT_LEN + _NONCE_LEN]
    ciphertext = box[1 + _POINT_LEN + _NONCE_LEN :]
    try:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk)
        key = _derive(private_key.exchange(ec.ECDH(), peer), epk, recipient)
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, _aad(context))
    except (InvalidTag, ValueError) as exc:
        raise SealError("The box does not open with this key and context.") from exc
    # A box made in a browser holds whatever that browser put in it: anything but a JSON
    # object is as unreadable as a box that does not open.
    try:
        payload = json.loads(plaintext.decode("utf-8"))
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise SealError("The box does not hold a JSON object.") from exc
    if not isinstance(payload, dict):
        raise SealError("The box does not hold a JSON object.")
    return payload


@dataclass(frozen=True)
class KeyPair:
    key_id: str
    public_pem: str
    private_file: bytes  # the passphrase-protected key file, for the organiser only


def generate_keypair(passphrase: str, holder: str) -> KeyPair:
    """Make a P-256 key pair; the private half leaves only as a passphrase-protected file."""
    if len(passphrase) < 12:
        raise ValueError("The passphrase must be at least 12 characters long.")
    private_key = ec.generate_private_key(ec.SECP256R1())
    public_key = private_key.public_key()
    public_pem = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    ).decode()
    key_id = key_id_for(public_key)
    document = {
        "format": KEY_FILE_FORMAT,
        "key_id": key_id,
        "holder": holder,
        "public_key": public_pem,
        "private_key": private_pem,
    }
    return KeyPair(key_id, public_pem, json.dumps(document, indent=2).encode())


def load_private_file(data: bytes, passphrase: str) -> tuple[str, ec.EllipticCurvePrivateKey]:
    """Open a key file written by generate_keypair; returns (key id, private key)."""
    try:
        document = json.loads(data)
        if document.get("format") != KEY_FILE_FORMAT:
            raise ValueError
        private_key = serialization.load_pem_private_key(
            document["private_key"].encode(), password=passphrase.encode()
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise SealError("This key file cannot be opened with that passphrase.") from exc
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise SealError("This key file does not hold a P-256 key.")
    return key_id_for(private_key.public_key()), private_key
