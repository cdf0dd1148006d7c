"""Settings: safe defaults out of the box, loud refusal in production without what it needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def _check(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RECLAIM_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    clean.update({"RECLAIM_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_its_settings_and_names_the_variable(tmp_path):
    result = _check({"RECLAIM_ENV": "production"}, tmp_path)
    assert result.returncode != 0
    assert "RECLAIM_ALLOWED_HOSTS is not set" in result.stderr


def test_production_names_each_missing_variable_in_turn(tmp_path):
    env = {"RECLAIM_ENV": "production", "RECLAIM_ALLOWED_HOSTS": "petition.example.org"}
    result = _check(env, tmp_path)
    assert "RECLAIM_BASE_URL is not set" in result.stderr
    env["RECLAIM_BASE_URL"] = "https://petition.example.org"
    assert "RECLAIM_FROM_EMAIL is not set" in _check(env, tmp_path).stderr
    env["RECLAIM_FROM_EMAIL"] = "campaign@example.org"
    assert "RECLAIM_EMAIL_HOST is not set" in _check(env, tmp_path).stderr


def test_production_settings_pass_the_deploy_checks(tmp_path):
    env = {
        "RECLAIM_ENV": "production",
        "RECLAIM_ALLOWED_HOSTS": "petition.example.org",
        "RECLAIM_BASE_URL": "https://petition.example.org",
        "RECLAIM_FROM_EMAIL": "campaign@example.org",
        "RECLAIM_EMAIL_HOST": "smtp.example.org",
    }
    result = _check(env, tmp_path, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_boolean_is_refused_with_its_name(tmp_path):
    result = _check({"RECLAIM_DEBUG": "maybe"}, tmp_path)
    assert result.returncode != 0
    assert "RECLAIM_DEBUG must be one of" in result.stderr


def test_the_secret_key_is_generated_once_with_mode_0600(tmp_path):
    assert _check({}, tmp_path).returncode == 0
    key = tmp_path / "secret.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    first = key.read_text()
    _check({}, tmp_path)
    assert key.read_text() == first
    assert oct((tmp_path / "email-hash.key").stat().st_mode & 0o777) == "0o600"


def test_no_secret_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "secret.key" not in tracked
    assert "email-hash.key" not in tracked


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
