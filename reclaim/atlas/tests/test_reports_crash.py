"""Invariant 6 for the atlas: a report the site acknowledged is never lost, even if the
server is killed. Reports with photos are sent to a real gunicorn (two workers), which is
killed with SIGKILL, master and workers at once, the moment the last acknowledgement
(the redirect to "sent") arrives; every acknowledged report is then in the database, with
its photo.

On SQLite the server works on a copy of the test database (a file killed mid-write must
not be the one the rest of the suite shares); on PostgreSQL on the test database itself."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from reclaim.atlas.models import Photo, Report
from reclaim.atlas.tests.fixtures_reports import jpeg_with_metadata

pytestmark = pytest.mark.django_db(transaction=True)

REPORTS = 10
STARTUP_SECONDS = 60
REPO_ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sqlite_copy(target: Path) -> None:
    source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def _postgres_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.fixture
def server(tmp_path: Path, settings: Any) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    data = tmp_path / "data"
    data.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        RECLAIM_DATA_DIR=str(data),
        RECLAIM_CACHE_DIR=str(tmp_path / "cache"),
        RECLAIM_SECRET_KEY=settings.SECRET_KEY,
        RECLAIM_EMAIL_HASH_KEY=settings.EMAIL_HASH_KEY,
        RECLAIM_OUTBOX_KEY_DIR=str(settings.OUTBOX_KEY_DIR),
        RECLAIM_TASK_BACKEND="database",
    )
    if connection.vendor == "sqlite":
        _sqlite_copy(data / "reclaim.sqlite3")
    else:
        env["DATABASE_URL"] = _postgres_url()
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "reclaim.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if httpx.get(f"{base}/en/atlas/report/", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.3)
    try:
        yield base, process, data / "reclaim.sqlite3"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        log.close()


def _stored(database: Path) -> tuple[set[str], int]:
    """The descriptions of the reports in the server's database, and its photo count."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(database) as db:
            descriptions = {row[0] for row in db.execute("SELECT description FROM atlas_report")}
            photos = db.execute(
                "SELECT count(*) FROM atlas_photo WHERE report_id IS NOT NULL"
            ).fetchone()[0]
        return descriptions, int(photos)
    descriptions = set(Report.objects.values_list("description", flat=True))
    return descriptions, Photo.objects.filter(report__isnull=False).count()


def test_acknowledged_reports_survive_a_sigkill_of_the_server(server: Any) -> None:
    base, process, database = server
    photo = jpeg_with_metadata((320, 240))
    seen_on = (timezone.localdate() - timedelta(days=1)).isoformat()
    acknowledged = []
    with httpx.Client(base_url=base, headers={"Sec-Fetch-Site": "same-origin"}) as client:
        for number in range(REPORTS):
            description = f"Camera number {number} above the tram stop."
            response = client.post(
                "/en/atlas/report/",
                data={
                    "kind": "device",
                    "description": description,
                    "latitude": "44.8029",
                    "longitude": f"20.46{number}",
                    "seen_on": seen_on,
                    "altcha": "",
                },
                files={"photos": (f"IMG_{number}.jpg", photo, "image/jpeg")},
            )
            assert response.status_code == 302, response.text[:500]
            assert response.headers["Location"].endswith("/atlas/report/sent/")
            acknowledged.append(description)
    # At once, master and workers: no graceful shutdown, no chance to flush anything.
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    descriptions, photos = _stored(database)
    assert set(acknowledged) <= descriptions
    assert photos >= REPORTS
