"""Every public page: our own origin only, security headers, kind errors, no stack traces."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//(?!testserver)""", re.I)


@pytest.fixture
def public_urls(petition, letter):
    return [
        "/en/",
        "/de/",
        "/fr/",
        "/en/p/ban/",
        "/en/p/ban/signatories/",
        "/en/p/ban/thanks/",
        "/en/p/letter/?as=organisation",
        "/en/privacy/",
        "/en/s/unknown-token/",
        "/en/no-such-page/",
    ]


def test_no_public_page_references_a_third_party_origin(client, public_urls):
    for url in public_urls:
        body = client.get(url).content.decode()
        assert not EXTERNAL.search(body), (url, EXTERNAL.search(body))


def test_every_page_has_a_strict_content_security_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_a_reader_gets_no_cookie(client, petition):
    for url in ["/en/", "/en/p/ban/signatories/", "/en/privacy/", "/api/petitions/ban/count.json"]:
        assert not client.get(url).cookies, url


def test_a_missing_page_is_a_translated_404(client):
    response = client.get("/de/no-such-page/")
    assert response.status_code == 404
    assert 'lang="de"' in response.content.decode()


def test_a_server_error_shows_no_stack_trace(petition, monkeypatch):
    from reclaim.letters import views

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "counts_for", boom)
    client = Client(raise_request_exception=False)
    response = client.get("/en/p/ban/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret internals" not in body
    assert "Traceback" not in body
    assert "Something went wrong on our side" in body


def test_the_health_check_answers(client):
    assert client.get("/healthz").json() == {"ok": True}


def test_pages_exist_in_each_language(client, petition):
    assert "Unterschreiben" in client.get("/de/p/ban/").content.decode()
    assert "Signer" in client.get("/fr/p/ban/").content.decode()
