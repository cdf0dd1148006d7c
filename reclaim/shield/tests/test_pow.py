"""Proof of work: asked only under load, harder as the load grows, good once, never required."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from typing import Any

import altcha
import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone
from playwright.sync_api import Page, expect

from reclaim.keyring.services import create_key
from reclaim.letters.models import Petition, Signature
from reclaim.shield import network, pow, throttle

ATTACKER = "198.51.100.7"
SCOPE = "letters.sign"


@pytest.fixture(autouse=True)
def _fresh_counters() -> Any:
    cache.clear()
    network._salts.clear()
    yield
    cache.clear()
    network._salts.clear()


def set_limits(settings: Any, **limits: Any) -> None:
    settings.RECLAIM = settings.RECLAIM | {"THROTTLES": settings.RECLAIM["THROTTLES"] | limits}


def source_of(address: str) -> str:
    return network.source_key(RequestFactory().get("/", REMOTE_ADDR=address))


def solve(challenge: dict[str, Any]) -> str:
    """What the browser's solver puts in the hidden field."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], "SHA-256", challenge["maxNumber"]
    )
    assert solution is not None
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    return encode(payload | {"number": solution.number})


def encode(payload: Any) -> str:
    return base64.b64encode(json.dumps(payload).encode()).decode()


def decode(payload: str) -> dict[str, Any]:
    return json.loads(base64.b64decode(payload))


# --- The challenge --------------------------------------------------------------------


def test_no_challenge_is_asked_under_normal_load() -> None:
    assert pow.challenge_for(0, SCOPE) is None


def test_the_challenge_grows_harder_with_the_load() -> None:
    sizes = [pow.challenge_for(level, SCOPE)["maxNumber"] for level in (1, 2, 3, 4)]
    assert sizes == sorted(sizes)
    assert len(set(sizes)) == 4
    # Past the top level the challenge stops growing: a phone must still finish it.
    assert pow.challenge_for(9, SCOPE)["maxNumber"] == sizes[-1]


def test_a_challenge_expires_after_about_ten_minutes() -> None:
    challenge = pow.challenge_for(1, SCOPE)
    assert challenge is not None
    expires = int(re.search(r"expires=(\d+)", challenge["salt"]).group(1))
    assert abs(expires - (timezone.now() + timedelta(minutes=10)).timestamp()) < 5


@pytest.mark.django_db
def test_the_load_level_rises_with_the_site_load_and_with_a_busy_network(
    petition, settings
) -> None:
    set_limits(settings, site_load=(10, 60), source_burst=(20, 60))
    quiet = source_of("203.0.113.9")
    busy = source_of(ATTACKER)
    assert throttle.load_level(SCOPE, str(petition.pk), quiet) == 0
    for n in range(10):
        throttle.check(SCOPE, str(petition.pk), source_of(f"192.0.{n}.1"), "d", "DE")
    assert throttle.load_level(SCOPE, str(petition.pk), quiet) == 1
    for n in range(30):
        throttle.check(SCOPE, str(petition.pk), source_of(f"192.1.{n}.1"), "d", "DE")
    # 40 attempts: four times the limit
    assert throttle.load_level(SCOPE, str(petition.pk), quiet) == 3

    # A network nearing its own burst limit is asked, even on a quiet site.
    cache.clear()
    set_limits(settings, site_load=(1000, 60))
    for _ in range(9):
        throttle.check(SCOPE, str(petition.pk), busy, "d", "DE")
    assert throttle.load_level(SCOPE, str(petition.pk), busy) == 0
    throttle.check(SCOPE, str(petition.pk), busy, "d", "DE")
    assert throttle.load_level(SCOPE, str(petition.pk), busy) == 1
    assert throttle.load_level(SCOPE, str(petition.pk), quiet) == 0


# --- Verification ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_correct_solution_verifies_once_and_a_replay_fails() -> None:
    payload = solve(pow.challenge_for(1, SCOPE))
    assert pow.verify(payload, SCOPE)
    assert not pow.verify(payload, SCOPE)


@pytest.mark.django_db
def test_a_wrong_answer_does_not_use_up_the_challenge() -> None:
    challenge = pow.challenge_for(1, SCOPE)
    payload = decode(solve(challenge))
    assert not pow.verify(encode(payload | {"number": payload["number"] + 1}), SCOPE)
    assert pow.verify(encode(payload), SCOPE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda p: p | {"number": p["number"] + 1}, id="number"),
        pytest.param(lambda p: p | {"number": str(p["number"])}, id="number-as-text"),
        pytest.param(lambda p: p | {"number": True}, id="number-as-bool"),
        pytest.param(lambda p: p | {"signature": "0" * 64}, id="signature"),
        pytest.param(lambda p: p | {"challenge": "0" * 64}, id="challenge"),
        pytest.param(
            lambda p: p | {"salt": re.sub(r"expires=\d+", "expires=9999999999", p["salt"])},
            id="longer-expiry",
        ),
        pytest.param(lambda p: p | {"algorithm": "SHA-1"}, id="algorithm"),
        pytest.param(lambda p: {k: v for k, v in p.items() if k != "salt"}, id="no-salt"),
        pytest.param(lambda p: [p], id="a-list"),
        pytest.param(lambda p: 5, id="a-number"),
    ],
)
def test_a_tampered_payload_fails(tamper: Any) -> None:
    payload = decode(solve(pow.challenge_for(1, SCOPE)))
    assert not pow.verify(encode(tamper(payload)), SCOPE)


@pytest.mark.parametrize(
    "payload", ["", "not base64 at all!", base64.b64encode(b"\xff\xfe").decode(), "A" * 5000]
)
def test_garbage_fails(payload: str) -> None:
    assert not pow.verify(payload, SCOPE)


@pytest.mark.django_db
def test_an_expired_or_foreign_challenge_fails() -> None:
    expired = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            max_number=1000,
            hmac_key=pow._hmac_key(),
            expires=timezone.now() - timedelta(seconds=1),
            params={"scope": SCOPE},
        )
    )
    assert not pow.verify(solve(expired.to_dict()), SCOPE)
    foreign = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            max_number=1000,
            hmac_key="someone else's key",
            expires=timezone.now() + timedelta(minutes=5),
            params={"scope": SCOPE},
        )
    )
    assert not pow.verify(solve(foreign.to_dict()), SCOPE)
    never_expires = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            max_number=1000, hmac_key=pow._hmac_key(), params={"scope": SCOPE}
        )
    )
    assert not pow.verify(solve(never_expires.to_dict()), SCOPE)


@pytest.mark.django_db
def test_a_solution_is_good_only_for_the_scope_it_was_made_for() -> None:
    """A challenge names its form's scope inside its signed salt: solving one for a cheap
    form buys nothing on another, and the scope cannot be edited without breaking it."""
    payload = solve(pow.challenge_for(1, "newsletter.subscribe"))
    assert not pow.verify(payload, SCOPE)
    data = decode(payload)
    data["salt"] = data["salt"].replace("newsletter.subscribe", SCOPE)
    assert not pow.verify(encode(data), SCOPE)
    assert pow.verify(payload, "newsletter.subscribe")


# --- Through HTTP ---------------------------------------------------------------------


def sign_from(client: Any, capture: Any, address: str, n: int, **extra: Any) -> Any:
    data = {"as": "individual", "name": "Jane", "email": f"s{n}@example.org", "country": "DE"}
    with capture(execute=True):
        return client.post("/en/p/ban/", data | extra, REMOTE_ADDR=address)


def fetch_challenge(client: Any, petition: Petition, address: str) -> Any:
    return client.get(f"/shield/challenge/{SCOPE}/{petition.pk}/", REMOTE_ADDR=address)


@pytest.mark.django_db
def test_no_challenge_is_handed_out_under_normal_load(client, petition) -> None:
    response = fetch_challenge(client, petition, ATTACKER)
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_a_challenge_is_handed_out_when_the_site_is_busy_and_the_page_stays_the_same(
    client, petition, settings
) -> None:
    quiet_page = client.get("/en/p/ban/", REMOTE_ADDR="203.0.113.9").content
    set_limits(settings, site_load=(2, 60))
    for n in range(2):
        throttle.check(SCOPE, str(petition.pk), source_of(f"192.0.{n}.1"), "d", "DE")

    response = fetch_challenge(client, petition, "203.0.113.9")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    challenge = response.json()
    assert challenge["maxNumber"] == pow.DIFFICULTY[1]
    assert set(challenge) == {"algorithm", "challenge", "maxNumber", "salt", "signature"}
    assert f"scope={SCOPE}" in challenge["salt"]

    # The page itself is the same bytes, busy or not: a proxy may cache it whole.
    busy_page = client.get("/en/p/ban/", REMOTE_ADDR="203.0.113.9").content
    assert busy_page == quiet_page
    page = busy_page.decode()
    assert '<input type="hidden" name="altcha" value="">' in page
    assert f'data-pow="/shield/challenge/{SCOPE}/{petition.pk}/"' in page
    assert '<script type="module" src="/static/shield/pow.js"></script>' in page


@pytest.mark.django_db
def test_a_challenge_address_that_is_not_ours_is_not_found(client, petition) -> None:
    assert client.get("/shield/challenge/<script>/1/").status_code == 404
    assert client.get(f"/shield/challenge/{SCOPE}/{'x' * 65}/").status_code == 404


@pytest.mark.django_db
def test_a_solved_challenge_raises_the_network_limit_once(
    client, petition, settings, django_capture_on_commit_callbacks
) -> None:
    set_limits(settings, source_burst=(2, 60), solved_multiplier=5)
    capture = django_capture_on_commit_callbacks
    assert [sign_from(client, capture, ATTACKER, n).status_code for n in range(3)] == [
        302,
        302,
        429,
    ]
    assert sign_from(client, capture, ATTACKER, 3).status_code == 429
    payload = solve(fetch_challenge(client, petition, ATTACKER).json())

    assert sign_from(client, capture, ATTACKER, 4, altcha=payload).status_code == 302
    assert sign_from(client, capture, ATTACKER, 5, altcha=payload).status_code == 429
    assert sign_from(client, capture, ATTACKER, 6, altcha="forged").status_code == 429
    assert Signature.objects.count() == 3


# --- In the browser -------------------------------------------------------------------


@pytest.fixture
def live_petition(transactional_db: Any) -> Petition:
    create_key(holder="EDRi", passphrase="correct horse battery staple")
    return Petition.objects.create(
        slug="ban",
        title="Ban biometric mass surveillance",
        text="Cameras that recognise faces watch everyone.\n\nWe ask for a ban.",
        status=Petition.Status.OPEN,
        closes_at=timezone.now() + timedelta(days=30),
    )


def fill_in(page: Page, name: str, email: str) -> None:
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Country").select_option("FR")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_solves_the_challenge_while_the_visitor_types(
    page: Page, live_petition: Petition, settings: Any, traffic: Any
) -> None:
    # The live server sees the browser at 127.0.0.1. Its network has used up its plain
    # burst allowance, so only a solved challenge lets this signature through.
    set_limits(settings, source_burst=(2, 60), solved_multiplier=5)
    local = source_of("127.0.0.1")
    for _ in range(2):
        throttle.check(SCOPE, str(live_petition.pk), local, "d", "DE")

    page.goto("/en/p/ban/")
    fill_in(page, "Ada Lovelace", "ada@example.org")
    field = page.locator('input[name="altcha"]')
    expect(field).not_to_have_value("", timeout=30_000)
    payload = decode(field.input_value())
    assert payload["number"] >= 0
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert Signature.objects.count() == 1
    assert traffic.console_errors == []
    traffic.assert_same_origin()
    assert any(url.endswith("/static/shield/pow.js") for url in traffic.requests)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_who_submits_before_the_solution_is_ready_is_not_held_back(
    page: Page, live_petition: Petition, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_limits(settings, site_load=(1, 60))
    throttle.check(SCOPE, str(live_petition.pk), source_of("192.0.2.1"), "d", "DE")
    # A challenge that takes far longer than filling in the form.
    monkeypatch.setitem(pow.DIFFICULTY, 1, 10**12)
    page.goto("/en/p/ban/")
    fill_in(page, "Grace Hopper", "grace@example.org")
    assert page.locator('input[name="altcha"]').input_value() == ""
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert Signature.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.no_javascript
def test_without_javascript_the_form_works_below_the_limits_even_under_load(
    page: Page, live_petition: Petition, settings: Any
) -> None:
    set_limits(settings, site_load=(1, 60))
    throttle.check(SCOPE, str(live_petition.pk), source_of("192.0.2.1"), "d", "DE")
    page.goto("/en/p/ban/")
    assert page.locator('input[name="altcha"]').count() == 1  # asked, but not required
    fill_in(page, "Alan Turing", "alan@example.org")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert Signature.objects.count() == 1
