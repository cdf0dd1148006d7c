"""Per-object permissions of the partner area, with personas: partner A of organisation A,
partner B of organisation B, an organiser, a moderator (staff without the permission) and an
anonymous visitor, over every URL of the partner area."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reclaim.coalition.models import Organisation, ProfileChange
from reclaim.coalition.services.profile_changes import propose_change
from reclaim.coalition.tests.fixtures_partners import *  # noqa: F403
from reclaim.coalition.tests.fixtures_partners import sign

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)

ANON, A, B, MOD, ORG = "anonymous", "partner_a", "partner_b", "moderator", "organiser"
PERSONAS = (ANON, A, B, MOD, ORG)

# Every URL of the partner area, with what each persona gets: (method, url, {persona:
# status}). {a}/{b} are A's and B's slugs, {change} B's pending change, {b_id} B's pk.
# A partner gets 404 for anything of B's, exactly as for an organisation that does not
# exist; an anonymous visitor is sent to sign in.
B_VIEW = {ANON: 302, A: 404, B: 200, MOD: 404, ORG: 200}
URLS: list[tuple[str, str, dict[str, int | None]]] = [
    ("get", "/en/coalition/partner/{b}/", B_VIEW),
    ("get", "/en/coalition/partner/{b}/widgets/", B_VIEW),
    ("get", "/en/coalition/partner/{b}/counts/", B_VIEW),
    ("get", "/en/coalition/partner/{b}/change/{change}/", B_VIEW),
    ("get", "/en/coalition/partner/{b}/change/{change}/logo/", B_VIEW),
    # Organisers change organisations in the admin: the edit form is the partner's own.
    ("get", "/en/coalition/partner/{b}/profile/", {ANON: 302, A: 404, B: 200, MOD: 404, ORG: 404}),
    ("post", "/en/coalition/partner/{b}/profile/", {ANON: 302, A: 404, B: 302, MOD: 404, ORG: 404}),
    # B's change under A's slug: a change belongs to the slug's organisation.
    (
        "get",
        "/en/coalition/partner/{a}/change/{change}/",
        {ANON: 302, A: 404, B: 404, MOD: 404, ORG: 404},
    ),
    (
        "get",
        "/en/coalition/partner/{a}/change/{change}/logo/",
        {ANON: 302, A: 404, B: 404, MOD: 404, ORG: 404},
    ),
    # The start page sends each to their own area (organisers to the review).
    ("get", "/en/coalition/partner/", {ANON: 302, A: 302, B: 302, MOD: 404, ORG: 302}),
    # The organisers' review: the list is a staff page (403); a change of B's is 404.
    ("get", "/en/coalition/partner/review/", {ANON: 302, A: 403, B: 403, MOD: 403, ORG: 200}),
    (
        "get",
        "/en/coalition/partner/review/{change}/",
        {ANON: 302, A: 404, B: 404, MOD: 404, ORG: 200},
    ),
    (
        "post",
        "/en/coalition/partner/review/{change}/approve/",
        {ANON: 302, A: 404, B: 404, MOD: 404, ORG: 302},
    ),
    (
        "post",
        "/en/coalition/partner/review/{change}/reject/",
        {ANON: 302, A: 404, B: 404, MOD: 404, ORG: 302},
    ),
    # The admin is closed to partners: its sign-in page, never a page of it.
    ("get", "/en/admin/", {ANON: 302, A: 302, B: 302, MOD: 200, ORG: 200}),
    (
        "get",
        "/en/admin/coalition/organisation/{b_id}/change/",
        {ANON: 302, A: 302, B: 302, MOD: 403, ORG: 200},
    ),
    # (Whether these are registered in the admin is the admin's business: None, not checked.)
    (
        "get",
        "/en/admin/coalition/profilechange/",
        {ANON: 302, A: 302, B: 302, MOD: None, ORG: None},
    ),
    ("get", "/en/admin/coalition/partner/", {ANON: 302, A: 302, B: 302, MOD: None, ORG: None}),
]
POSTED = {"reason": "Not our style.", "name": "Hijacked", "kind": "other"}


@pytest.fixture
def world(
    org_a: Organisation,
    org_b: Organisation,
    partner_a: Any,
    partner_b: Any,
    widget_a: Any,
    widget_b: Any,
    organiser: Any,
    moderator: Any,
    as_user: Any,
    petition: Any,
) -> dict[str, Any]:
    sign(petition, widget_b.key, "FR", public_name="Bea Secret")
    change = propose_change(
        org_b, partner_b, {"name": "Rights B renamed", "descriptions": {}}, (PNG, "image/png")
    )
    clients = {
        "anonymous": Client(),
        "partner_a": as_user(partner_a),
        "partner_b": as_user(partner_b),
        "moderator": as_user(moderator),
        "organiser": as_user(organiser),
    }
    return {
        "a": org_a.slug,
        "b": org_b.slug,
        "a_id": org_a.pk,
        "b_id": org_b.pk,
        "change": change.pk,
        "clients": clients,
    }


def _cases() -> list[Any]:
    return [
        pytest.param(persona, method, url, expected[persona], id=f"{persona}-{method}-{url}")
        for method, url, expected in URLS
        for persona in PERSONAS
    ]


@pytest.mark.parametrize(("persona", "method", "url", "status"), _cases())
def test_each_persona_gets_only_what_is_theirs_on_every_partner_url(
    world: dict[str, Any], persona: str, method: str, url: str, status: int | None
) -> None:
    client = world["clients"][persona]
    path = url.format(a=world["a"], b=world["b"], change=world["change"], b_id=world["b_id"])
    if method == "post":
        # An organisation field smuggled in (A's own id) must not matter either.
        response = client.post(path, {**POSTED, "organisation": world["a_id"]})
    else:
        response = client.get(path)
    if status is None:
        return
    assert response.status_code == status, (persona, path, response.status_code)
    if response.status_code == 302 and (persona == ANON or "/admin/" in path):
        assert response["Location"].startswith("/en/admin/login/")
    body = response.content.decode(errors="replace") if status == 200 else ""
    # Counts only, never a signer's name, on any page.
    assert "Bea Secret" not in body
    organisation = Organisation.objects.get(slug=world["b"])
    # Nobody changes an organisation by posting a change: an organiser's approval does.
    approved = persona == ORG and path.endswith("/approve/")
    assert organisation.name == ("Rights B renamed" if approved else "Rights B")
    change = ProfileChange.objects.get(pk=world["change"])
    if persona != ORG:
        assert change.state == ProfileChange.State.PENDING
    if persona not in (B, ORG):
        # Neither proposed nor decided by someone who may not.
        assert change.proposed["name"] == "Rights B renamed"
        assert not ProfileChange.objects.filter(organisation__slug=world["a"]).exists()


def test_the_public_api_gives_a_partner_nothing_of_the_partner_area(world: dict[str, Any]) -> None:
    client = world["clients"][A]
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    text = schema.content.decode().lower()
    for secret in ("widget_key", "profilechange", "profile_change", "/partner", "proposed"):
        assert secret not in text
    # A partner's session opens nothing more than an anonymous visitor's.
    for path in ("/api/v1/", "/api/v1/partner/", f"/api/v1/coalition/partner/{world['b']}/"):
        assert client.get(path).content == Client().get(path).content
