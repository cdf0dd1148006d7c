"""Logs carry no addresses, emails or names: drive the real server and read its output."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from reclaim.lib.logfilter import scrub

ROOT = Path(__file__).resolve().parents[3]
ADDRESS = "198.51.100.23"
V6 = "2001:db8:85a3::8a2e:370:7334"


def test_scrub_removes_addresses_and_emails_but_keeps_the_rest():
    line = f"Not Found: /p/x from {ADDRESS} and {V6} for jane.doe+x@example.org at 12:30:01"
    assert scrub(line) == "Not Found: /p/x from [address] and [address] for [email] at 12:30:01"
    assert scrub("version 1.2.3 on 127.0.0.1") == "version 1.2.3 on 127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, headers: dict[str, str]) -> None:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local test server
    try:
        urllib.request.urlopen(request, timeout=10).read()  # noqa: S310
    except urllib.error.HTTPError:
        pass


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on POSIX only")
def test_the_running_server_logs_no_address_or_email(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECLAIM_", "DJANGO_"))}
    env |= {
        "RECLAIM_DATA_DIR": str(tmp_path),
        "RECLAIM_TRUSTED_PROXY_HOPS": "1",
        "RECLAIM_LOG_LEVEL": "DEBUG",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "reclaim.wsgi:application",
                "--config",
                "python:reclaim.core.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.1)
            headers = {"X-Forwarded-For": f"{V6}, {ADDRESS}", "User-Agent": "jane@example.org"}
            for path in [
                "/en/",
                "/en/p/nothing@example.org/",
                "/en/s/x/",
                "/en/privacy/",
                f"/en/p/{ADDRESS}/",
                "/healthz",
            ]:
                _get(base + path, headers)
            # A malformed request makes gunicorn itself write a line.
            with socket.create_connection(("127.0.0.1", port)) as raw:
                raw.sendall(b"NONSENSE\r\n\r\n")
                raw.recv(100)
        finally:
            server.terminate()
            server.wait(timeout=20)
    output = log.read_text()
    assert "GET /en/privacy/" in output  # the log was written
    assert ADDRESS not in output
    assert V6 not in output and "2001:db8" not in output
    assert "@example.org" not in output
