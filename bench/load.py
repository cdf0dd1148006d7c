"""The load generator: a separate process driving 127.0.0.1 with concurrent clients.

``python -m bench.load SCENARIO.json RESULT.json``. One asyncio process, a minimal
HTTP/1.1 client over raw streams (a general-purpose client such as httpx costs several
times more CPU per request, and on a 2-core machine every cycle the load generator burns
is taken from the server it measures). Pure Python: no Django here.

Every client behaves like a browser behind the site's TLS proxy: it sends
``X-Forwarded-Proto: https`` and an ``X-Forwarded-For`` address (the harness runs reclaim
with RECLAIM_TRUSTED_PROXY_HOPS=1), reads the signing page once (which must set no
cookie), and posts forms with Origin, Referer and Sec-Fetch-Site, as a browser does.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.figures import LoadFigures, LoadOutcome, Probe, from_json, optional, to_json

DOMAINS = [
    "gmail.com", "web.de", "gmx.de", "orange.fr", "free.fr", "libero.it", "outlook.com",
    "yahoo.com", "posteo.de", "wp.pl", "seznam.cz", "telenet.be", "ziggo.nl", "proton.me",
    "hotmail.com", "t-online.de", "laposte.net", "icloud.com", "sapo.pt", "freemail.hu",
]  # fmt: skip
FIRST = ["Anna", "Jan", "Marie", "Luca", "Sofia", "Piotr", "Elena", "Jonas", "Inès", "Mateo"]
LAST = ["Müller", "Rossi", "Dubois", "Nowak", "García", "Jansen", "Novák", "Silva", "Horvat"]
COMMENT = "Face recognition in public spaces must be banned: I want to walk my city unwatched."
TIMEOUT = 30.0


class HTTPError(Exception):
    pass


@dataclass(kw_only=True)
class ProbeSpec:
    """The count-visibility probe that runs beside a signing phase (see ``probe``)."""

    tokens: list[str]  # confirmation tokens of signatures on the probe petition
    baseline: int  # its public total before the first
    form_path: str
    counter_path: str
    delay: float  # seconds into the phase before the first
    timeout: float  # seconds a probe waits for its count
    gap: float = 1.0  # seconds between probes
    max_seconds: float  # the load goes on until the probes end, at most this long


@dataclass(kw_only=True)
class Scenario:
    """What one load phase does, written by the harness for this process."""

    kind: str  # get, floor, sign, confirm or crash
    name: str
    connect: str  # host:port to connect to
    host: str  # the Host header
    clients: int
    duration: float  # measured seconds
    warmup: float  # seconds before measuring starts
    max_requests: int  # measured requests at most (the warm-up does not count)
    run_id: str = ""  # makes each phase's addresses unique
    sign_path: str = ""
    form_path: str = ""  # the page a client gets its CSRF token from
    countries: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # get: the pages, in turn
    tokens: list[list[str]] = field(default_factory=list)  # confirm: [address, token]
    language: str = "en"
    timeout: float = TIMEOUT
    warm_request: bool = True  # get: one unmeasured request per client first
    probe: ProbeSpec | None = optional()


class Connection:
    """One client's connection, kept open when the server allows it (gthread), reopened
    for every request when it closes it (sync workers)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], list[str], bytes]:
        reused = self.writer is not None
        try:
            return await self._request(method, path, headers, body)
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError) as exc:
            await self.close()
            # A kept-alive connection the server had already closed: nothing was read from
            # it, so the request never reached the application. Send it once more.
            if reused and (not isinstance(exc, asyncio.IncompleteReadError) or not exc.partial):
                return await self._request(method, path, headers, body)
            raise

    async def _request(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], list[str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        response: dict[str, str] = {}
        cookies: list[str] = []
        for line in header_lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            response[name] = value
        if "content-length" in response:
            data = await self.reader.readexactly(int(response["content-length"]))
        elif response.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
                chunks.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            data = b"".join(c[:-2] for c in chunks)
        else:
            data = await self.reader.read()
            response["connection"] = "close"
        if response.get("connection", "").lower() == "close" or status_line.startswith("HTTP/1.0"):
            await self.close()
        return status, response, cookies, data


@dataclass
class Sample:
    start: float
    latency: float
    status: int  # -1: connection error or timeout


@dataclass
class Phase:
    scenario: Scenario
    samples: list[Sample] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    issued: int = 0
    stop: bool = False
    errors: dict[str, int] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)


def _address(rng: random.Random) -> str:
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


class Client:
    def __init__(self, phase: Phase, number: int, host: str, port: int) -> None:
        self.phase, self.number = phase, number
        self.scenario = phase.scenario
        self.timeout = float(self.scenario.timeout)
        self.conn = Connection(host, port)
        self.rng = random.Random(f"{self.scenario.run_id}-{number}")
        self.origin = f"https://{self.scenario.host}"
        self.opened = False
        self.sent = 0

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        h = {
            "Host": self.scenario.host,
            "User-Agent": "reclaim-bench/1",
            "Accept": "text/html,application/json",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": _address(self.rng),
        }
        if extra:
            h.update(extra)
        return h

    async def open_form(self, path: str) -> None:
        """Read the form's page first, as a visitor does. A public form needs no token and
        sets no cookie: the post carries what a browser sends (Origin, Sec-Fetch-Site)."""
        status, _h, cookies, _body = await asyncio.wait_for(
            self.conn.request("GET", path, self.headers()), self.timeout
        )
        if status != 200:
            raise HTTPError(f"GET {path}: {status}")
        if cookies:
            raise HTTPError(f"GET {path} set a cookie: {cookies}")
        self.opened = True

    async def post(self, path: str, form: dict[str, str], referer: str) -> int:
        body = urlencode(form).encode()
        headers = self.headers(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + referer,
                "Sec-Fetch-Site": "same-origin",
            }
        )
        status, _h, _c, _b = await asyncio.wait_for(
            self.conn.request("POST", path, headers, body), self.timeout
        )
        return status

    async def get(self, path: str) -> int:
        status, _h, _c, _b = await asyncio.wait_for(
            self.conn.request("GET", path, self.headers()), self.timeout
        )
        return status

    def signer(self) -> dict[str, str]:
        s = self.scenario
        countries, weights = s.countries, s.weights
        self.sent += 1
        address = f"b{s.run_id}c{self.number}n{self.sent}@{self.rng.choice(DOMAINS)}"
        form = {
            "name": f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}",
            "email": address,
            "country": self.rng.choices(countries, weights)[0],
        }
        if self.rng.random() < 0.1:
            form["comment"] = COMMENT
        if self.rng.random() < 0.4:
            form["listed"] = "on"
        if self.rng.random() < 0.3:
            form["newsletter"] = "on"
        return form

    async def one(self) -> tuple[int, str]:
        """One measured request of this phase's kind: (status, what it was about)."""
        s = self.scenario
        kind = s.kind
        if kind == "get":
            paths = s.paths
            return await self.get(paths[(self.number + self.sent) % len(paths)]), ""
        if kind == "floor":
            self.sent += 1
            payload = {"payload": f"c{self.number}n{self.sent}"}
            return await self.post("/bench/floor", payload, "/"), ""
        if kind == "sign" or (kind == "crash" and self.number % 2 == 0):
            form = self.signer()
            return await self.post(s.sign_path, form, s.sign_path), "sign:" + form["email"]
        # confirm, or the confirming half of the crash burst
        tokens = s.tokens
        if not tokens:
            raise LookupError
        address, token = tokens.pop()
        path = f"/{s.language}/s/{token}/"
        return await self.post(path, {}, path), "confirm:" + address

    async def run(self, deadline: float, started: float) -> None:
        s = self.scenario
        kind = s.kind
        try:
            if kind != "get":
                await self.open_form(s.form_path)
            elif s.warm_request:
                await self.get(s.paths[0])  # warm this client's connection and worker
        except (TimeoutError, OSError, HTTPError, asyncio.IncompleteReadError) as exc:
            key = f"setup: {type(exc).__name__}"
            self.phase.errors[key] = self.phase.errors.get(key, 0) + 1
            if kind != "crash":
                return
        expected = 200 if kind == "get" else 302
        while not self.phase.stop and time.perf_counter() < deadline:
            if self.phase.issued >= s.max_requests:
                break
            t = time.perf_counter()
            # The cap counts measured requests only: a fast endpoint must not spend it all
            # in the warm-up and leave nothing to measure.
            if t - started >= s.warmup:
                self.phase.issued += 1
            what = ""
            try:
                status, what = await self.one()
            except LookupError:
                break
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                status = -1
                key = type(exc).__name__
                self.phase.errors[key] = self.phase.errors.get(key, 0) + 1
                await self.conn.close()
                if kind == "crash":
                    await asyncio.sleep(0.05)
                    if not self.opened:
                        try:
                            await self.open_form(s.form_path)
                        except Exception:  # noqa: BLE001, S110 (server down: try later)
                            pass
            self.phase.samples.append(Sample(t - started, time.perf_counter() - t, status))
            if status == expected and what.startswith("sign:"):
                self.phase.accepted.append(what[5:])
            elif status == expected and what.startswith("confirm:"):
                self.phase.confirmed.append(what[8:])
        await self.conn.close()


async def probe(phase: Phase, host: str, port: int, started: float) -> None:
    """How long a confirmed signature takes to show in the public count, under load.

    The probe petition receives nothing but these confirmations, so after probe *i* its
    public total must reach baseline + i + 1. It confirms one signature by POST (its token
    came from a mail sent before the load), then polls the counter JSON every 100 ms: the
    lag to the first poll that shows it, and to the start of a run of 20 polls (2 s) that
    all show it (several workers each keep their own cache)."""
    spec = phase.scenario.probe
    assert spec is not None
    client = Client(phase, 10_000, host, port)
    await asyncio.sleep(spec.delay)
    await client.open_form(spec.form_path)
    for i, token in enumerate(spec.tokens):
        if phase.stop:
            break
        expected = spec.baseline + i + 1
        path = f"/en/s/{token}/"
        status = await client.post(path, {}, path)
        confirmed = time.perf_counter()
        record = Probe(status=status)
        streak_start: float | None = None
        streak = 0
        while time.perf_counter() - confirmed < spec.timeout:
            conn = Connection(host, port)
            try:
                _s, _h, _c, body = await asyncio.wait_for(
                    conn.request("GET", spec.counter_path, client.headers()), TIMEOUT
                )
                total = int(json.loads(body)["total"])
            except (TimeoutError, OSError, ValueError, KeyError):
                total = -1
            finally:
                await conn.close()
            now = time.perf_counter()
            if total >= expected:
                if record.first_s is None:
                    record.first_s = now - confirmed
                if streak == 0:
                    streak_start = now
                streak += 1
                if streak >= 20:
                    record.stable_s = (streak_start or now) - confirmed
                    break
            else:
                streak = 0
            await asyncio.sleep(0.1)
        phase.probes.append(record)
        await asyncio.sleep(spec.gap)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def main(scenario: Scenario) -> LoadOutcome:
    host, port = scenario.connect.split(":")
    phase = Phase(scenario)
    started = time.perf_counter()
    deadline = started + scenario.warmup + scenario.duration
    usage = resource.getrusage(resource.RUSAGE_SELF)
    clients = [Client(phase, n, host, int(port)) for n in range(scenario.clients)]
    tasks = []
    if scenario.probe:
        # The load goes on for as long as the probe needs it, within a hard limit.
        deadline = started + scenario.probe.max_seconds
        probe_task = asyncio.create_task(probe(phase, host, int(port), started))

        async def stop_when_probed() -> None:
            try:
                await probe_task
            except Exception as exc:  # noqa: BLE001 (reported, and the load stops)
                phase.errors[f"probe: {exc!r}"[:200]] = 1
            rest = started + scenario.warmup + scenario.duration - time.perf_counter()
            await asyncio.sleep(max(0.0, rest))
            phase.stop = True

        tasks.append(asyncio.create_task(stop_when_probed()))
    tasks += [asyncio.create_task(c.run(deadline, started)) for c in clients]
    await asyncio.gather(*tasks)
    ended = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_SELF)
    window_start = scenario.warmup
    measured = [s for s in phase.samples if s.start >= window_start]
    last_end = max((s.start + s.latency for s in measured), default=window_start)
    span = max(last_end - window_start, 1e-9)
    expected = 200 if scenario.kind == "get" else 302
    ok = [s for s in measured if s.status == expected]
    statuses: dict[str, int] = {}
    for s in measured:
        statuses[str(s.status)] = statuses.get(str(s.status), 0) + 1
    latencies = [s.latency * 1000 for s in ok]
    figures = LoadFigures(
        kind=scenario.kind,
        name=scenario.name,
        clients=scenario.clients,
        requests=len(measured),
        ok=len(ok),
        statuses=statuses,
        errors=phase.errors,
        error_rate=(len(measured) - len(ok)) / len(measured) if measured else 1.0,
        seconds=span,
        rate=len(ok) / span,
        p50_ms=percentile(latencies, 0.50),
        p90_ms=percentile(latencies, 0.90),
        p99_ms=percentile(latencies, 0.99),
        max_ms=max(latencies, default=0.0),
        client_cpu_s=(after.ru_utime + after.ru_stime) - (usage.ru_utime + usage.ru_stime),
        wall_s=ended - started,
        all_requests=len(phase.samples),
        probes=phase.probes,
    )
    return LoadOutcome(figures=figures, accepted=phase.accepted, confirmed=phase.confirmed)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as spec:
        scenario = from_json(Scenario, json.load(spec))
    outcome = asyncio.run(main(scenario))
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(to_json(outcome), out)
