"""Settings: safe defaults out of the box, loud refusal in production without what it needs."""

from __future__ import annotations

import json
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


PRODUCTION_ENV = {
    "RECLAIM_ENV": "production",
    "RECLAIM_ALLOWED_HOSTS": "petition.example.org",
    "RECLAIM_BASE_URL": "https://petition.example.org",
    "RECLAIM_FROM_EMAIL": "campaign@example.org",
    "RECLAIM_EMAIL_HOST": "smtp.example.org",
    "RECLAIM_CONTROLLER_NAME": "Example Campaign",
    "RECLAIM_CONTROLLER_ADDRESS": "Example Street 1, 10115 Berlin, Germany",
    "RECLAIM_PRIVACY_CONTACT": "privacy@example.org",
}


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = _check(PRODUCTION_ENV, tmp_path, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_checks_warn_when_production_does_not_name_the_data_controller(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "RECLAIM_CONTROLLER_ADDRESS"}
    result = _check(env, tmp_path, "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "reclaim.privacy.W001" in result.stderr
    assert "RECLAIM_CONTROLLER_ADDRESS is not set" in result.stderr


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


def _cache_settings(env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    """The cache settings a process started with ``env`` gets, outside the tests."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RECLAIM_", "DATABASE_URL", "REDIS_URL"))
    }
    clean.update({"RECLAIM_DATA_DIR": str(tmp_path), **env})
    code = (
        "import json; from reclaim import settings as s;"
        "print(json.dumps({'backend': s.CACHES['default']['BACKEND'],"
        " 'location': s.CACHES['default'].get('LOCATION'), 'shared': s.SHARED_CACHE}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_every_process_of_the_machine_shares_a_cache_on_disk(tmp_path):
    # On SQLite every process of the site is on this machine: the cache is shared by all.
    assert _cache_settings({}, tmp_path) == {
        "backend": "reclaim.lib.diskcache.DiskCache",
        "location": str(tmp_path / "cache"),
        "shared": True,
    }
    # Only its owner may read it, or write values it will unpickle.
    assert oct((tmp_path / "cache").stat().st_mode & 0o777) == "0o700"
    elsewhere = tmp_path / "tmpfs"
    assert _cache_settings({"RECLAIM_CACHE_DIR": str(elsewhere)}, tmp_path)["location"] == str(
        elsewhere
    )
    # With PostgreSQL the scheduler may run on another host, whose cache is not this one.
    postgres = {"DATABASE_URL": "postgres://reclaim@db.example.org:5432/reclaim"}
    assert _cache_settings(postgres, tmp_path)["shared"] is False
    # Redis is shared by every machine.
    redis = _cache_settings({"REDIS_URL": "redis://127.0.0.1:6379/0"}, tmp_path)
    assert redis == {
        "backend": "django.core.cache.backends.redis.RedisCache",
        "location": "redis://127.0.0.1:6379/0",
        "shared": True,
    }
