"""Small typed helpers for reading settings from the environment.

They fail loudly (ImproperlyConfigured) on a value they cannot read, so a typo in a
deployment is caught at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of yes/no/true/false/1/0, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def require(name: str, production: bool) -> str:
    """Return the variable, or refuse to start in production when it is missing."""
    value = os.environ.get(name, "").strip()
    if production and not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Production settings need it: set {name} in the environment."
        )
    return value


def secret_file(path: Path, nbytes: int = 50) -> str:
    """Read a secret kept in the data folder, creating it once with mode 0600.

    The secret never lives in the repository. O_EXCL makes creation race-free when several
    processes start at once: the loser of the race reads the winner's file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(nbytes))
    value = path.read_text().strip()
    if not value:
        raise ImproperlyConfigured(f"The secret file {path} is empty; delete it to regenerate.")
    return value
