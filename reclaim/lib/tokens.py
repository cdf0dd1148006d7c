"""Secrets for mailed links: the link carries the token, the database only its hash."""

from __future__ import annotations

import hashlib
import secrets

# Longer than any token made here: anything longer is not one of ours, and is not hashed.
MAX_TOKEN_LENGTH = 100


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """An unkeyed hash is enough here: the token is 256 random bits, not a guessable value."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    return 0 < len(token) <= MAX_TOKEN_LENGTH
