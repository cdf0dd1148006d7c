"""The real server's log, read whole: no client address, token, query, email or name.

gunicorn runs as ``reclaim serve`` runs it (reclaim.core.gunicorn_conf), on SQLite in a
folder of its own, listening on 127.0.0.1 and ::1. Requests come from 127.0.0.1, 127.0.0.2
and ::1: a signature with an email, its mailed links (confirm, receipt, withdraw), the
privacy records page, the ECI eligibility checker with a nationality and a date of birth
in its query, pages that do not exist, and request lines gunicorn refuses. Then every line
it wrote, on standard output and standard error, is searched.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[3]
FORWARDED = "198.51.100.23"
FORWARDED_V6 = "2001:db8:85a3::8a2e:370:7334"
EMAIL = "jane.logtest@example.org"
NAME = "Jane Logtest"
BIRTH_DATE = "1957-03-25"
# A token that looks real but was never issued: its page answers 404, which Django warns
# about, naming the path unless told otherwise.
UNKNOWN_TOKEN = "Zq8LmN3vB7xK2pW9rT4yH6jD1fG5sA0cE8uI3oPlMnQ"


def _ipv6_loopback() -> str:
    """Empty if this machine can listen on ::1; otherwise why not."""
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError as exc:
        return f"no IPv6 loopback here ({exc})"
    return ""


NO_IPV6 = _ipv6_loopback()

SEED = """
from datetime import date, timedelta
from django.core.management import call_command
from django.utils import timezone
from reclaim.eci.models import Initiative
from reclaim.keyring.services import create_key
from reclaim.letters.models import Petition

call_command("migrate", verbosity=0)
create_key("Log test", "correct horse battery staple", actor="test")
Petition.objects.create(
    slug="ban", title="Ban biometric mass surveillance", text="Text.", goal=100,
    status=Petition.Status.OPEN, opens_at=timezone.now() - timedelta(days=1),
    closes_at=timezone.now() + timedelta(days=60), retention_days=30,
)
Initiative.objects.create(
    slug="ban-biometric", registration_number="ECI(2025)000004",
    registered_on=date(2025, 3, 12), title="Ban biometric mass surveillance",
    objectives="A ban.", register_url="https://register.eci.ec.europa.eu/",
    signing_url="https://eci.ec.europa.eu/050/public/",
    collection_start=date(2025, 6, 1), collection_end=date(2026, 5, 31),
    status=Initiative.Status.COLLECTING,
)
"""

# The tokens of the mailed links, as the mails would carry them (only their hashes are
# stored, so fresh ones are issued for the signature and the data request just made).
TOKENS = """
import json
from reclaim.letters.models import Signature
from reclaim.letters.services import issue_token as signature_token
from reclaim.privacy.models import DataRequest
from reclaim.privacy.services import issue_token as request_token

print(json.dumps({
    "signature": signature_token(Signature.objects.latest("pk")),
    "records": request_token(DataRequest.objects.latest("pk")),
}))
"""


@dataclass
class Server:
    port: int
    log: Path
    env: dict[str, str]
    cookies: list[str] = field(default_factory=list)

    def request(
        self,
        source: str,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """One request from the client address ``source``; the status and the body.

        A form is sent as a browser on the page would (``Sec-Fetch-Site: same-origin``),
        with Django's CSRF token and cookie if the page has one.
        """
        host = "::1" if ":" in source else "127.0.0.1"
        connection = http.client.HTTPConnection(
            host, self.port, timeout=30, source_address=(source, 0)
        )
        headers = {
            "X-Forwarded-For": f"{FORWARDED_V6}, {FORWARDED}",
            "User-Agent": f"{NAME} <{EMAIL}>",
            "Sec-Fetch-Site": "same-origin",
        }
        body = None
        if form is not None:
            form = {**form, **self.csrf(source, path, headers)}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            self.cookies = response.msg.get_all("Set-Cookie") or []
            return response.status, response.read().decode(errors="replace")
        finally:
            connection.close()

    def csrf(self, source: str, path: str, headers: dict[str, str]) -> dict[str, str]:
        """Django's CSRF field for the form at ``path``, if it has one (and its cookie
        into ``headers``)."""
        page = self.request(source, "GET", path)[1]
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        cookie = [c.split(";")[0] for c in self.cookies if c.startswith("csrftoken=")]
        if match is None or not cookie:
            return {}
        headers["Cookie"] = cookie[0]
        return {"csrfmiddlewaretoken": match.group(1)}

    def raw(self, source: str, data: bytes) -> bytes:
        """Bytes gunicorn has to refuse, from ``source``; its answer."""
        family = socket.AF_INET6 if ":" in source else socket.AF_INET
        host = "::1" if ":" in source else "127.0.0.1"
        with socket.socket(family) as s:
            s.settimeout(30)
            s.bind((source, 0))
            s.connect((host, self.port))
            s.sendall(data)
            return s.recv(200)

    def manage(self, script: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    """A port free on both loopbacks."""
    for _ in range(20):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if NO_IPV6:
            return port
        try:
            with socket.socket(socket.AF_INET6) as s:
                s.bind(("::1", port))
        except OSError:
            continue
        return port
    raise RuntimeError("no port free on both 127.0.0.1 and ::1")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if sys.platform == "win32":
        pytest.skip("gunicorn runs on POSIX only")
    data = tmp_path_factory.mktemp("server")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RECLAIM_", "DJANGO_")) and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env |= {
        "RECLAIM_DATA_DIR": str(data),
        # One proxy hop is believed, so X-Forwarded-For is read (and must not be logged).
        "RECLAIM_TRUSTED_PROXY_HOPS": "1",
        "RECLAIM_LOG_LEVEL": "DEBUG",
    }
    port = _free_port()
    server = Server(port=port, log=data / "server.log", env=env)
    server.manage(SEED)
    binds = ["--bind", f"127.0.0.1:{port}"]
    if not NO_IPV6:
        binds += ["--bind", f"[::1]:{port}"]
    with server.log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "reclaim.wsgi:application",
                "--config",
                "python:reclaim.core.gunicorn_conf",
                *binds,
                "--workers",
                "1",
                # gunicorn 27's control socket is one path per user: another server on
                # this machine (a benchmark, a second test run) would fight over it.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if server.request("127.0.0.1", "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{server.output()}")
                time.sleep(0.2)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)


def _assert_clean(output: str, secrets: set[str]) -> None:
    for secret in secrets:
        assert secret not in output, f"{secret!r} is in the log:\n{output}"
    # No path and no query at all: every line names a route.
    assert "/en/" not in output, output
    assert not re.search(r"\?\w+=", output), output


def test_the_server_logs_routes_but_no_token_query_email_or_address(server):
    a, b = "127.0.0.1", "127.0.0.2"
    form = {"as": "individual", "name": NAME, "email": EMAIL, "country": "DE", "comment": ""}
    status, _ = server.request(b, "POST", "/en/p/ban/", form)
    assert status == 302, "the signature was not taken"
    status, _ = server.request(a, "POST", "/en/privacy/data/", {"email": EMAIL})
    assert status == 200

    tokens = json.loads(server.manage(TOKENS).strip().splitlines()[-1])
    signature, records = tokens["signature"], tokens["records"]
    query = urlencode({"nationality": "MT", "birth_date": BIRTH_DATE})
    for source, method, path, expected in [
        (b, "GET", f"/en/s/{signature}/", 200),  # the confirmation page
        (a, "POST", f"/en/s/{signature}/", 302),  # confirmed
        (b, "GET", f"/en/s/{signature}/?confirmed=1", 200),  # the receipt
        (a, "GET", f"/en/s/{signature}/withdraw/", 200),
        (b, "GET", f"/en/privacy/data/r/{records}/", 200),
        (a, "GET", f"/en/s/{UNKNOWN_TOKEN}/", 404),
        (b, "GET", f"/en/eci/ban-biometric/check/?{query}", 200),
        (a, "GET", f"/en/eci/ban-biometric/check/?nationality=MT&birth_date={BIRTH_DATE}x", 400),
        (b, "GET", f"/en/nowhere/?birth_date={BIRTH_DATE}", 404),
        (b, "GET", f"/p/ban/?birth_date={BIRTH_DATE}", 302),  # to the language prefix
    ]:
        status, _ = server.request(source, method, path, {} if method == "POST" else None)
        assert status == expected, (method, path, status)
    # Request lines gunicorn refuses, one with a token in it: "Invalid request from ip=...".
    assert server.raw(a, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400")
    refused = f"GET /en/s/{signature}/?nationality=MT HTTP/1.1 x\r\n\r\n".encode()
    assert server.raw(b, refused).startswith(b"HTTP/1.1 400")

    output = server.output()
    secrets = {signature, records, UNKNOWN_TOKEN, BIRTH_DATE, "nationality", "birth_date"}
    secrets |= {EMAIL, "@example.org", NAME, "Logtest", a, b, FORWARDED, "2001:db8"}
    _assert_clean(output, secrets)
    access = [line for line in output.splitlines() if " reclaim.access " in line]
    routes = {" ".join(line.split(" reclaim.access ", 1)[1].split()[:3]) for line in access}
    for line in [
        "POST letters:detail 302",
        "POST privacy:request 200",
        "GET letters:link 200",
        "POST letters:link 302",
        "GET letters:withdraw 200",
        "GET privacy:records 200",
        "GET letters:link 404",
        "GET eci:check 200",
        "GET eci:check 400",
        "GET (no-route) 404",
        "GET (no-route) 302",
    ]:
        assert line in routes, f"{line!r} not logged:\n{output}"
    assert "Not Found: letters:link" in output
    assert output.count("Invalid request from ip=[address]") >= 2, output
    # gunicorn's own access line ('"GET /path HTTP/1.1" 200 ...') is gone.
    assert "HTTP/1.1" not in output


@pytest.mark.skipif(bool(NO_IPV6), reason=NO_IPV6 or "IPv6 loopback available")
def test_the_server_logs_nothing_of_a_client_on_the_ipv6_loopback(server):
    source = "::1"
    query = urlencode({"nationality": "MT", "birth_date": BIRTH_DATE})
    assert server.request(source, "GET", f"/en/s/{UNKNOWN_TOKEN}/withdraw/")[0] == 404
    assert server.request(source, "GET", f"/en/eci/ban-biometric/check/?{query}")[0] == 200
    status, _ = server.request(source, "POST", "/en/privacy/data/", {"email": EMAIL})
    assert status == 200
    refused = f"GET /en/s/{UNKNOWN_TOKEN}/ HTTP/1.1 x\r\n\r\n".encode()
    assert server.raw(source, refused).startswith(b"HTTP/1.1 400")

    output = server.output()
    _assert_clean(output, {"::1", UNKNOWN_TOKEN, BIRTH_DATE, "nationality", EMAIL, FORWARDED})
    assert "reclaim.access GET letters:withdraw 404" in output
    assert "Invalid request from ip=[address]" in output
    assert "Listening at: http://[address]:" in output  # the bind address goes too
