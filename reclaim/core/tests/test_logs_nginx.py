"""The deployment's nginx site (docs/deploy) logs no address, path or query.

nginx's default "combined" log has the client's address ($remote_addr) and the request
line ($request), whose path holds a mailed link's token and whose query a GET form's
answers. Read from the files, then run: nginx with the site as deployed, under an http
block that also has Debian's own access_log, requests from 127.0.0.2 (and ::1), every log
file read.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.proxy import self_signed

DEPLOY = Path(__file__).resolve().parents[3] / "docs" / "deploy"
SITE = DEPLOY / "nginx-site.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TOKEN = "kT3vQ9xWm2LpR7sYbN4cJ8hF1dG6aZ0eUoIiPqVwXyE"
BIRTH_DATE = "1957-03-25"

# Variables that hold the client's address, the path or query, or what the client sent.
FORBIDDEN = re.compile(
    r"\$(remote_addr|binary_remote_addr|realip_remote_addr|remote_user|request|request_uri"
    r"|uri|document_uri|args|query_string|arg_\w+|is_args|http_\w+|cookie_\w+"
    r"|proxy_add_x_forwarded_for|request_body|request_line)\b"
)


def _directives(path: Path) -> str:
    """The file without its comments."""
    return "\n".join(line.split("#", 1)[0] for line in path.read_text().splitlines())


def test_the_nginx_site_logs_no_address_path_or_query():
    text = "\n".join(_directives(p) for p in sorted(DEPLOY.glob("*.conf")))
    formats = dict(re.findall(r"\blog_format\s+(\w+)\s+((?:'[^']*'\s*)+);", text))
    assert formats, "the site defines its own log format"
    for name, layout in formats.items():
        assert not FORBIDDEN.search(layout), f"log_format {name}: {layout}"
    for directive in re.findall(r"\baccess_log\s+([^;]+);", text):
        words = directive.split()
        # No default ("combined") format: "off", or one of the formats above.
        assert words == ["off"] or (len(words) >= 2 and words[1] in formats), directive
    # At the http level, before the first server block: no access log there, which also
    # silences the one Debian's nginx.conf sets at that level (they would add up).
    http_level = _directives(SITE).split("server {", 1)[0]
    assert re.search(r"^access_log off;", http_level, re.M)
    # nginx names the client in every error about a connection, "crit" included.
    assert re.findall(r"\berror_log\s+\S+\s+(\w+)\s*;", text) == ["emerg"]
    # The route label is one of a few fixed words, whatever the path.
    for mapping in re.findall(r"\bmap\s+\$\w+\s+\$\w+\s*\{([^}]*)\}", text):
        for line in filter(None, (m.strip() for m in mapping.split(";"))):
            assert re.fullmatch(r"\S+\s+[a-z]+", line), line


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Upstream(BaseHTTPRequestHandler):
    """Stands in for reclaim: 200 with a small body for any GET."""

    def do_GET(self) -> None:
        body = b'{"count": 1}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "public, max-age=5")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(not os.access(NGINX, os.X_OK), reason="nginx is not installed")
def test_nginx_with_the_deploy_site_logs_no_address_path_or_query(tmp_path, upstream):
    v6 = _ipv6_loopback()
    http_port, https_port = _free_port(), _free_port()
    cert, key = self_signed(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    (tmp_path / "cache").mkdir()
    for name in ("reclaim-locations.conf", "reclaim-proxy-headers.conf"):
        text = (DEPLOY / name).read_text().replace("/etc/nginx/", f"{tmp_path}/")
        (tmp_path / name).write_text(text)
    site = SITE.read_text()
    for old, new in [
        ("/etc/nginx/", f"{tmp_path}/"),
        ("/var/log/nginx/", f"{logs}/"),
        ("/var/cache/nginx/", f"{tmp_path}/cache/"),
        ("/etc/letsencrypt/live/petition.example.org/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/petition.example.org/privkey.pem", str(key)),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", f"listen [::1]:{http_port};" if v6 else ""),
        ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        ("listen [::]:443 ssl http2;", f"listen [::1]:{https_port} ssl http2;" if v6 else ""),
    ]:
        assert old in site, old
        site = site.replace(old, new)
    (tmp_path / "site.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = tmp_path / "nginx.conf"
    # As Debian's nginx.conf: an error log and an access log of its own, then the sites.
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""daemon off;
pid {tmp_path}/nginx.pid;
error_log {logs}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {logs}/access.log;
    {temp}
    include {tmp_path}/site.conf;
}}
"""
    )
    out = (tmp_path / "stdout.log").open("wb")
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)], stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
                break
            except OSError:
                assert nginx.poll() is None, (tmp_path / "stdout.log").read_text()
                assert time.monotonic() < deadline, "nginx did not listen"
                time.sleep(0.1)
        context = ssl._create_unverified_context()  # noqa: S323 - our own test certificate
        sources = ["127.0.0.2"] + (["::1"] if v6 else [])
        query = f"nationality=MT&birth_date={BIRTH_DATE}"
        for source in sources:
            host = "::1" if ":" in source else "127.0.0.1"
            for path in [
                f"/en/s/{TOKEN}/?{query}",
                f"/api/petitions/ban/count.json?{query}",
                f"/static/x.css?{query}",
            ]:
                connection = http.client.HTTPSConnection(
                    host, https_port, context=context, source_address=(source, 0), timeout=10
                )
                connection.request("GET", path)
                assert connection.getresponse().status == 200
                connection.close()
            plain = http.client.HTTPConnection(
                host, http_port, source_address=(source, 0), timeout=10
            )
            plain.request("GET", f"/en/s/{TOKEN}/?{query}")
            assert plain.getresponse().status == 301
            plain.close()
    finally:
        nginx.send_signal(signal.SIGQUIT)  # graceful: the buffered access log is written
        nginx.wait(timeout=20)
        out.close()

    written = {f.name: f.read_text(errors="replace") for f in logs.iterdir()}
    access = written.get("reclaim-access.log", "").splitlines()
    assert len(access) == 3 * len(sources), written
    assert {" ".join(line.split()[1:4]) for line in access} == {
        "GET app 200",
        "GET counter 200",
        "GET static 200",
    }
    assert written.get("access.log", "") == ""  # Debian's, silenced by the site
    everything = "\n".join(written.values())
    for secret in (TOKEN, BIRTH_DATE, "nationality", "/en/", "?", "127.0.0.", "::1"):
        assert secret not in everything, f"{secret!r} in {written}"
