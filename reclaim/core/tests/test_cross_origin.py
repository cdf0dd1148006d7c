"""Public forms need no token and no cookie; a browser's cross-site post is refused.

reclaim.core.crossorigin reads what browsers say about where a request comes from
(Sec-Fetch-Site, Origin). Staff pages keep Django's CSRF token as well."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import last_link
from reclaim.privacy.models import DataRequest

pytestmark = pytest.mark.django_db

SIGNER = {"as": "individual", "name": "Jane", "email": "jane@example.org", "country": "DE"}
REFUSED = "This form was sent from another site"


@pytest.fixture
def browser_client() -> Client:
    """A client that, like a browser, would fail Django's CSRF check without a token."""
    return Client(enforce_csrf_checks=True)


def sign(client: Client, capture: Any, **headers: str) -> Any:
    with capture(execute=True):
        return client.post("/en/p/ban/", SIGNER, headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://testserver"},
        {},  # not a browser, or one too old to say: the emailed confirmation decides
    ],
    ids=["same-origin", "typed", "own-origin", "no-header"],
)
def test_a_signature_from_the_site_itself_needs_no_token(
    browser_client, petition, django_capture_on_commit_callbacks, headers
):
    response = sign(browser_client, django_capture_on_commit_callbacks, **headers)
    assert response.status_code == 302
    assert Signature.objects.count() == 1
    assert not response.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # a sandboxed frame or a data: page
        {"Origin": "https://testserver"},  # another scheme is another origin
    ],
    ids=["cross-site", "same-site", "fetch-site-wins", "other-origin", "null", "scheme"],
)
def test_a_post_from_another_site_is_refused_with_a_clear_page_and_nothing_saved(
    browser_client, petition, django_capture_on_commit_callbacks, headers
):
    response = sign(browser_client, django_capture_on_commit_callbacks, **headers)
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert not Signature.objects.exists()
    assert not response.cookies


def test_the_refusal_speaks_the_visitors_language(browser_client, petition):
    response = browser_client.post("/de/p/ban/", SIGNER, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert REFUSED not in response.content.decode()
    assert 'lang="de"' in response.content.decode()


def test_confirming_withdrawing_and_data_requests_are_protected_the_same_way(
    browser_client, petition, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    sign(browser_client, capture, **{"Sec-Fetch-Site": "same-origin"})
    link = last_link()
    evil = {"Origin": "https://evil.example"}

    assert browser_client.post(link, headers=evil).status_code == 403
    assert Signature.objects.get().confirmed_at is None
    assert browser_client.post(link).status_code in (200, 302)
    assert Signature.objects.get().confirmed_at is not None

    assert browser_client.post(link + "withdraw/", headers=evil).status_code == 403
    assert Signature.objects.exists()

    with capture(execute=True):
        asked = browser_client.post(
            "/en/privacy/data/", {"email": "jane@example.org"}, headers=evil
        )
    assert asked.status_code == 403
    assert not DataRequest.objects.exists()
    with capture(execute=True):
        asked = browser_client.post("/en/privacy/data/", {"email": "jane@example.org"})
    assert asked.status_code == 200
    assert DataRequest.objects.count() == 1


def test_staff_pages_keep_djangos_csrf_token(browser_client, organiser):
    browser_client.force_login(organiser)
    response = browser_client.post(
        "/en/moderation/invalidate/", {}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 403
    assert "This form could not be sent" in response.content.decode()
