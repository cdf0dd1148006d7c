"""Fetching a counter's answer from the Commission: the HTTP client, its retries and its
limits of size and time.

Neither endpoint is documented as an API, and either may be slow, down or wrong: an answer
is refused when it is not a 200, larger than ``MAX_ANSWER_BYTES``, slower than the timeout
as a whole (not only between two reads), or not JSON; what may pass (a timeout, a network
error, an HTTP 5xx or 429 answer) is tried again.

Privacy: the requests carry a User-Agent naming reclaim and nothing else — no cookies (the
jar refuses them all), no query string of ours, no referrer, no credentials — and no
redirect is followed.

Settings (``settings.RECLAIM``), all optional:

- ``ECI_SYNC_TIMEOUT``: seconds allowed to connect, and to receive a whole answer (10).
- ``ECI_SYNC_RETRIES``: further attempts after a timeout, a network error or an HTTP 5xx or
  429 answer (2). A malformed answer is not retried: it would come back the same.
- ``ECI_SYNC_BACKOFF``: seconds to wait before the n-th retry, times n (1).
"""

from __future__ import annotations

import json
import time
from http.cookiejar import CookieJar, DefaultCookiePolicy
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import httpx
from django.conf import settings

from reclaim.eci.sync.errors import SyncError

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0

# The register's answer for one initiative is a few kilobytes; anything far larger is not it.
MAX_ANSWER_BYTES = 1_000_000

try:
    _VERSION = version("reclaim")
except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
    _VERSION = "dev"
USER_AGENT = f"reclaim/{_VERSION} (campaign platform; reads public ECI counters)"


class _Transient(SyncError):
    """Worth another attempt: a timeout, a network error, or the server's own trouble."""


def _setting(name: str, default: Any) -> Any:
    return settings.RECLAIM.get(name, default)


def timeout() -> float:
    """Seconds allowed to connect, and to receive a whole answer."""
    return float(_setting("ECI_SYNC_TIMEOUT", DEFAULT_TIMEOUT))


def client() -> httpx.Client:
    """A client for one round of reads: no cookies, no redirects, a timeout."""
    # An empty allow-list makes the jar refuse every cookie, so none is ever sent back.
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.Client(
        timeout=httpx.Timeout(timeout()),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        cookies=no_cookies,
        follow_redirects=False,
    )


def _get_once(client: httpx.Client, url: str, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 500 or response.status_code == 429:
                raise _Transient(f"HTTP {response.status_code}")
            if response.status_code != 200:
                raise SyncError(f"HTTP {response.status_code}")
            body = bytearray()
            # A server dripping bytes would keep each read under the timeout forever.
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > MAX_ANSWER_BYTES:
                    raise SyncError("answer too large")
                if time.monotonic() > deadline:
                    raise _Transient("timed out")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise SyncError("not a usable address") from exc
    except httpx.TimeoutException as exc:
        raise _Transient("timed out") from exc
    except httpx.TransportError as exc:
        raise _Transient(f"network error: {type(exc).__name__}") from exc
    try:
        return json.loads(bytes(body).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SyncError("not valid JSON") from exc


def fetch_json(client: httpx.Client, url: str) -> Any:
    """The decoded JSON answer at ``url``, retrying what may pass; SyncError otherwise."""
    seconds = timeout()
    retries = max(0, int(_setting("ECI_SYNC_RETRIES", DEFAULT_RETRIES)))
    backoff = float(_setting("ECI_SYNC_BACKOFF", DEFAULT_BACKOFF))
    error = SyncError("not attempted")
    for attempt in range(retries + 1):
        if attempt and backoff > 0:
            time.sleep(backoff * attempt)
        try:
            return _get_once(client, url, seconds)
        except _Transient as exc:
            error = exc
    raise SyncError(f"{error} ({retries + 1} attempts)")
