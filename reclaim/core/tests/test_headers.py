"""Security headers on every response, and which cookies a visitor gets (none to read)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from reclaim.core.middleware import SecurityHeadersMiddleware, permissions_policy_allow
from reclaim.eci.models import Initiative

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
}
ECI = "/en/eci/ban-biometric"
EMBED = f"{ECI}/embed/?partner=edri"
# Pages a visitor only reads: no cookie at all.
READ_ONLY_PAGES = [
    "/en/",
    "/de/",
    "/en/p/ban/signatories/",
    "/en/p/ban/thanks/",
    "/en/privacy/",
    "/en/eci/",
    f"{ECI}/",
    f"{ECI}/check/?nationality=DE&age=30",
    f"{ECI}/dashboard/",
    EMBED,
    f"{ECI}/forms/",
    f"{ECI}/calendar/",
    f"{ECI}/sponsors/",
    "/en/no-such-page/",
    "/api/petitions/ban/count.json",
]
# Pages with a form that posts: no cookie either (reclaim.core.crossorigin protects them).
FORM_PAGES = [
    "/en/p/ban/",
    "/de/p/ban/",
    "/en/p/letter/?as=organisation",
    "/en/petitions/",
    "/en/privacy/data/",
]
PUBLIC_PAGES = READ_ONLY_PAGES + FORM_PAGES
ADMIN_LOGIN_PAGES = ["/en/admin/login/", "/de/admin/login/", "/fr/admin/login/"]


@pytest.fixture
def initiative(db):
    return Initiative.objects.create(
        slug="ban-biometric",
        registration_number="ECI(2025)000004",
        registered_on=date(2025, 3, 12),
        title="Ban biometric mass surveillance in public spaces",
        objectives="We ask the Commission to propose a ban.",
        register_url="https://register.eci.ec.europa.eu/core/initiative/2025/000004",
        signing_url="https://eci.ec.europa.eu/050/public/?lg=en",
        collection_start=date(2025, 6, 1),
        collection_end=date(2026, 5, 31),
        status=Initiative.Status.COLLECTING,
    )


@pytest.fixture
def site(petition, letter, initiative):
    """Everything the public pages show."""


def policy(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    parsed = {words[0]: words[1:] for words in directives}
    assert len(parsed) == len(directives), f"a directive appears twice in {header}"
    return parsed


def test_every_public_page_has_exactly_the_strict_policy(client, site):
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        expected = STRICT | ({"frame-ancestors": ["*"]} if url == EMBED else {})
        assert policy(response["Content-Security-Policy"]) == expected, url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url


def test_only_the_embed_may_be_framed(client, site):
    for url in PUBLIC_PAGES:
        response = client.get(url)
        framing = policy(response["Content-Security-Policy"])["frame-ancestors"]
        if url == EMBED:
            assert framing == ["*"]
            assert "X-Frame-Options" not in response.headers
        else:
            assert framing == ["'none'"], url
            assert response["X-Frame-Options"] == "DENY", url


def test_the_admin_alone_may_use_inline_script_and_style(client, as_user, organiser):
    relaxed = STRICT | {
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
    }
    for url in ADMIN_LOGIN_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response["Content-Security-Policy"]) == relaxed, url
    staff = as_user(organiser)
    assert policy(staff.get("/en/admin/")["Content-Security-Policy"]) == relaxed
    # Staff pages outside the admin are ours, and keep the strict policy.
    page = staff.get("/en/staff/two-factor/?next=/en/moderation/alerts/", follow=True)
    assert policy(page["Content-Security-Policy"]) == STRICT
    # A path that only looks like the admin's does not get the exception.
    lookalike = client.get("/en/p/admin/")
    assert policy(lookalike["Content-Security-Policy"]) == STRICT


def test_every_response_keeps_referrers_on_our_origin(client, site):
    # same-origin, not no-referrer: see SECURE_REFERRER_POLICY in settings.
    for url in PUBLIC_PAGES + ADMIN_LOGIN_PAGES:
        assert client.get(url)["Referrer-Policy"] == "same-origin", url


def test_every_response_denies_camera_microphone_and_geolocation(client, site):
    for url in PUBLIC_PAGES + ADMIN_LOGIN_PAGES:
        features = dict(
            item.strip().split("=", 1) for item in client.get(url)["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation"):
            assert features[feature] == "()", (url, feature)


def test_a_view_can_allow_a_feature_to_its_own_origin_only():
    @permissions_policy_allow("geolocation")
    def locate(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    header = SecurityHeadersMiddleware(locate)(RequestFactory().get("/"))["Permissions-Policy"]
    assert "geolocation=(self)" in header
    assert "camera=()" in header
    assert "microphone=()" in header


def test_a_reader_gets_no_cookie(client, site):
    for url in READ_ONLY_PAGES:
        response = client.get(url)
        assert not response.cookies, (url, response.cookies)
        assert "Set-Cookie" not in response.headers, url


def test_a_page_with_a_form_sets_no_cookie_either(client, site):
    for url in FORM_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_a_public_page_is_the_same_bytes_for_every_visitor(client, site):
    """What lets a proxy cache it whole: nothing in it, or in its headers, depends on who
    asks (no token, no challenge, no Vary on a cookie)."""
    from django.test import Client

    for url in PUBLIC_PAGES:
        first = client.get(url, REMOTE_ADDR="203.0.113.1")
        other = Client().get(url, REMOTE_ADDR="198.51.100.2", HTTP_COOKIE="sessionid=x; a=b")
        assert first.content == other.content, url
        assert "cookie" not in first.get("Vary", "").lower(), (url, first["Vary"])


def test_development_sends_no_hsts(client, settings):
    assert settings.SECURE_HSTS_SECONDS == 0 or not settings.SECURE_HSTS_SECONDS
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


PROBE = """
import json
from django.conf import settings
from django.test import Client
response = Client().get("/healthz", secure=True, headers={"host": "petition.example.org"})
print(json.dumps({
    "seconds": settings.SECURE_HSTS_SECONDS,
    "subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "header": response.headers.get("Strict-Transport-Security"),
    "session_expires_at_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "session_age": settings.SESSION_COOKIE_AGE,
    "require_2fa": settings.RECLAIM["REQUIRE_2FA"],
}))
"""


def test_production_sends_hsts(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RECLAIM_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env |= {
        "RECLAIM_DATA_DIR": str(tmp_path),
        "RECLAIM_ENV": "production",
        "RECLAIM_ALLOWED_HOSTS": "petition.example.org",
        "RECLAIM_BASE_URL": "https://petition.example.org",
        "RECLAIM_FROM_EMAIL": "campaign@example.org",
        "RECLAIM_EMAIL_HOST": "smtp.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["seconds"] >= 31536000
    assert found["subdomains"] is True
    assert found["header"].startswith(f"max-age={found['seconds']}")
    assert "includeSubDomains" in found["header"]
    # Staff sessions end with the browser, and after eight hours at most.
    assert found["session_expires_at_close"] is True
    assert found["session_age"] == 8 * 3600
    assert found["require_2fa"] is True
