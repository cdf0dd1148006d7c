"""The deployment's reverse proxy in the benchmark: nginx with the locations of
docs/deploy/reclaim-locations.conf, in front of the bench's gunicorn, and wrk to drive it.

Both come from Debian (``apt-get install nginx-light wrk``); without them the proxy phases
are skipped and say so. nginx terminates TLS with a throwaway self-signed certificate, as
the real site's proxy terminates TLS, so the figures include that cost.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from bench.common import ROOT
from bench.figures import WrkFigures

DEPLOY = ROOT / "docs" / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def available() -> str:
    """Empty if nginx and wrk are here; otherwise what is missing."""
    missing = [name for name, path in (("nginx", NGINX), ("wrk", WRK)) if not os.access(path, 1)]
    return ", ".join(missing)


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for 127.0.0.1, as PEM files in ``directory``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "proxy-cert.pem", directory / "proxy-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class Proxy:
    """nginx on its own port, with the deployment's locations and cache rules."""

    def __init__(self, directory: Path, upstream: str, port: int) -> None:
        self.dir = directory / "nginx"
        self.upstream = upstream
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None

    def config(self) -> Path:
        self.dir.mkdir(exist_ok=True)
        for name in ("reclaim-locations.conf", "reclaim-proxy-headers.conf"):
            text = (DEPLOY / name).read_text().replace("/etc/nginx/", f"{self.dir}/")
            (self.dir / name).write_text(text)
        cert, key = self_signed(self.dir)
        temp = "\n".join(
            f"    {kind}_temp_path {self.dir}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = self.dir / "nginx.conf"
        conf.write_text(
            f"""{user}worker_processes auto;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log crit;
events {{ worker_connections 4096; }}
http {{
    access_log off;
{temp}
    upstream reclaim_app {{ server {self.upstream}; keepalive 32; }}
    proxy_cache_path {self.dir}/cache levels=1:2 keys_zone=reclaim_cache:10m
                     max_size=200m inactive=10m use_temp_path=off;
    server {{
        listen 127.0.0.1:{self.port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        include {self.dir}/reclaim-locations.conf;
    }}
}}
"""
        )
        return conf

    def start(self) -> None:
        conf = self.config()
        log = open(self.dir / "stdout.log", "ab")  # noqa: SIM115 (lives with the process)
        self.proc = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(self.dir)],
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.dir / "stdout.log").read_text()[-2000:])
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not listen within 10 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def pids(self) -> list[int]:
        if not self.proc:
            return []
        out = subprocess.run(
            ["pgrep", "-g", str(self.proc.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(x) for x in out.split()]

    def probe(self, path: str) -> tuple[int, str]:
        """Status and X-Cache header (HIT, MISS, ...) of one request through the proxy,
        redirects not followed: a redirect would count as a success in wrk's figures."""
        import http.client
        import ssl

        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            return response.status, str(response.getheader("X-Cache", ""))
        finally:
            conn.close()


_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: float, clients: int, headers: dict[str, str]) -> WrkFigures:
    """Run wrk (2 threads, ``clients`` connections) and parse its figures."""
    cmd = [
        WRK,
        "-t2",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    started = time.monotonic()
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    wall = time.monotonic() - started
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    latency = {q: float(v) * _UNIT[u] for q, v, u in _LATENCY.findall(out)}
    failed = (int(bad.group(1)) if bad else 0) + (
        sum(int(x) for x in errors.groups()) if errors else 0
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return WrkFigures(
        tool="wrk",
        requests=requests,
        ok=requests - failed,
        rate=rate * (requests - failed) / requests if requests else 0.0,
        p50_ms=latency.get("50", 0.0),
        p99_ms=latency.get("99", 0.0),
        error_rate=failed / requests if requests else 1.0,
        errors=failed,
        wall_s=wall,
    )
