"""Signing limits through HTTP: per network, per email domain, per country, per petition.

The acceptance scenario of the issue: a scripted burst from one source is throttled while a
different source keeps signing. A source is the hashed /24 (IPv4) or /48 (IPv6) network.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from reclaim.letters.models import Petition, Signature
from reclaim.letters.tests.test_signing import dump_database
from reclaim.mail.models import OutgoingMail
from reclaim.shield import network, throttle
from reclaim.shield.models import DailySalt

SCOPE = "letters.sign"

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.7"
NEIGHBOUR = "198.51.100.200"  # same /24 as the attacker
OTHER = "203.0.113.9"
_serial = itertools.count()


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch: Any) -> None:
    """Hold the throttle's clock mid-window, so that no burst in a test straddles the
    start of a new fixed window (which would reset its count and make the test flaky)."""
    monkeypatch.setattr("reclaim.shield.throttle.clock", lambda: 1_800_000_030.0)


@pytest.fixture(autouse=True)
def _fresh_counters() -> Any:
    """Counters live in the cache and today's salt in a module: neither may leak between
    tests, whose database rows are rolled back."""
    cache.clear()
    network._salts.clear()
    yield
    cache.clear()
    network._salts.clear()


def set_limits(settings: Any, **limits: Any) -> None:
    """Override some limits, leaving the rest as configured (the settings fixture restores
    RECLAIM after the test because it is reassigned, not mutated)."""
    settings.RECLAIM = settings.RECLAIM | {"THROTTLES": settings.RECLAIM["THROTTLES"] | limits}


def sign_from(
    client: Any,
    capture: Any,
    petition: Petition,
    address: str,
    email: str | None = None,
    country: str = "DE",
    **headers: Any,
) -> Any:
    data = {
        "as": "individual",
        "name": "Jane Doe",
        "email": email or f"signer{next(_serial)}@example.org",
        "country": country,
    }
    with capture(execute=True):
        return client.post(f"/en/p/{petition.slug}/", data, REMOTE_ADDR=address, **headers)


def statuses(responses: list[Any]) -> list[int]:
    return [response.status_code for response in responses]


def test_a_burst_from_one_network_is_refused_while_another_keeps_signing(
    client, petition, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, source_burst=(5, 60))
    burst = [
        sign_from(client, django_capture_on_commit_callbacks, petition, ATTACKER) for _ in range(8)
    ]
    assert statuses(burst) == [302] * 5 + [429] * 3
    refused = burst[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    page = refused.content.decode()
    assert "Too many signatures from your network right now." in page
    assert "Your signature has not been saved. Please try again in 1 minute." in page
    assert 'role="alert"' in page
    # The refused attempts stored nothing and sent nothing.
    assert Signature.objects.count() == 5
    assert len(mail.outbox) == 5
    assert not OutgoingMail.objects.exists()

    others = [
        sign_from(client, django_capture_on_commit_callbacks, petition, OTHER) for _ in range(5)
    ]
    assert statuses(others) == [302] * 5
    assert Signature.objects.count() == 10


def test_the_refused_page_keeps_what_the_visitor_typed(
    client, petition, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, source_burst=(1, 60))
    sign_from(client, django_capture_on_commit_callbacks, petition, ATTACKER)
    response = sign_from(
        client, django_capture_on_commit_callbacks, petition, ATTACKER, email="kept@example.org"
    )
    assert response.status_code == 429
    assert 'value="kept@example.org"' in response.content.decode()
    assert "<title>Error:" in response.content.decode()


def test_addresses_in_the_same_ipv4_24_share_a_limit_and_the_next_24_does_not(
    client, petition, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, source_burst=(3, 60))
    capture = django_capture_on_commit_callbacks
    for last in (1, 2, 3):
        assert sign_from(client, capture, petition, f"198.51.100.{last}").status_code == 302
    assert sign_from(client, capture, petition, NEIGHBOUR).status_code == 429
    assert sign_from(client, capture, petition, "198.51.101.7").status_code == 302


def test_addresses_in_the_same_ipv6_48_share_a_limit_and_the_next_48_does_not(
    client, petition, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, source_burst=(3, 60))
    capture = django_capture_on_commit_callbacks
    for address in ("2001:db8:1::1", "2001:db8:1:2::2", "2001:db8:1:ffff:1:2:3:4"):
        assert sign_from(client, capture, petition, address).status_code == 302
    assert sign_from(client, capture, petition, "2001:db8:1:abcd::9").status_code == 429
    assert sign_from(client, capture, petition, "2001:db8:2::1").status_code == 302


def test_x_forwarded_for_is_ignored_without_trusted_proxies(
    client, petition, settings, django_capture_on_commit_callbacks
):
    settings.RECLAIM = settings.RECLAIM | {"TRUSTED_PROXY_HOPS": 0}
    set_limits(settings, source_burst=(3, 60))
    responses = [
        sign_from(
            client,
            django_capture_on_commit_callbacks,
            petition,
            ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.{n}.1",
        )
        for n in range(5)
    ]
    assert statuses(responses) == [302] * 3 + [429] * 2


def test_x_forwarded_for_is_believed_for_one_trusted_hop_and_no_further(
    client, petition, settings, django_capture_on_commit_callbacks
):
    settings.RECLAIM = settings.RECLAIM | {"TRUSTED_PROXY_HOPS": 1}
    set_limits(settings, source_burst=(3, 60))
    capture = django_capture_on_commit_callbacks
    proxy = "10.0.0.1"

    # The client prepends made-up addresses; only the one our proxy appended counts.
    spoofed = [
        sign_from(client, capture, petition, proxy, HTTP_X_FORWARDED_FOR=f"192.0.{n}.1, {ATTACKER}")
        for n in range(5)
    ]
    assert statuses(spoofed) == [302] * 3 + [429] * 2
    # Another client behind the same proxy is not held back by the first.
    other = sign_from(client, capture, petition, proxy, HTTP_X_FORWARDED_FOR=OTHER)
    assert other.status_code == 302


def test_x_forwarded_for_is_believed_for_exactly_two_trusted_hops(
    client, petition, settings, django_capture_on_commit_callbacks
):
    settings.RECLAIM = settings.RECLAIM | {"TRUSTED_PROXY_HOPS": 2}
    set_limits(settings, source_burst=(3, 60))
    capture = django_capture_on_commit_callbacks
    # client -> proxy A (appends the client) -> proxy B (appends A) -> app (sees B).
    responses = [
        sign_from(
            client,
            capture,
            petition,
            "10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.{n}.1, {ATTACKER}, 10.0.0.1",
        )
        for n in range(5)
    ]
    assert statuses(responses) == [302] * 3 + [429] * 2
    other = sign_from(
        client, capture, petition, "10.0.0.2", HTTP_X_FORWARDED_FOR=f"{OTHER}, 10.0.0.1"
    )
    assert other.status_code == 302


def test_the_salt_rotates_at_midnight_and_yesterdays_is_deleted(monkeypatch):
    request = RequestFactory().get("/", REMOTE_ADDR=ATTACKER)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2030, 5, 1))
    monday = network.source_key(request)
    assert network.source_key(request) == monday
    assert list(DailySalt.objects.values_list("day", flat=True)) == [date(2030, 5, 1)]

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2030, 5, 2))
    tuesday = network.source_key(request)
    assert tuesday != monday
    # Yesterday's salt is gone: nobody can recompute Monday's keys to link them to Tuesday's.
    assert list(DailySalt.objects.values_list("day", flat=True)) == [date(2030, 5, 2)]


def test_no_address_is_in_the_cache_keys_or_the_database(
    client, petition, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, source_burst=(2, 60))
    capture = django_capture_on_commit_callbacks
    for address in (ATTACKER, ATTACKER, ATTACKER, "2001:db8:1::1", "2001:db8:1::1"):
        sign_from(client, capture, petition, address)
    client.get("/en/p/ban/", REMOTE_ADDR=ATTACKER)

    keys = list(cache._cache.keys())  # LocMemCache internals
    assert any("shield:throttle:source_burst" in key for key in keys)
    stored = "\n".join(keys) + "\n".join(str(value) for value in cache._cache.values())
    raw = dump_database()
    for fragment in ("198.51.100", "2001:db8", "2001:0db8", "198.51.100.0/24"):
        assert fragment not in stored
        assert fragment not in raw


def test_an_email_domain_has_its_own_limit(
    client, petition, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, domain_burst=(3, 60))
    capture = django_capture_on_commit_callbacks
    responses = [
        sign_from(client, capture, petition, f"203.0.{n}.1", email=f"p{n}@Bulk.Example.net")
        for n in range(4)
    ]
    assert statuses(responses) == [302] * 3 + [429]
    assert "Too many signatures with addresses at your email provider" in (
        responses[-1].content.decode()
    )
    assert sign_from(client, capture, petition, OTHER, email="p@example.com").status_code == 302
    assert Signature.objects.count() == 4


def test_a_country_has_its_own_limit(
    client, petition, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, country_burst=(3, 60))
    capture = django_capture_on_commit_callbacks
    responses = [
        sign_from(client, capture, petition, f"203.0.{n}.1", country="DE") for n in range(4)
    ]
    assert statuses(responses) == [302] * 3 + [429]
    assert "Too many signatures from your country right now." in responses[-1].content.decode()
    assert sign_from(client, capture, petition, OTHER, country="FR").status_code == 302


def test_one_network_hammering_the_form_cannot_use_up_its_countrys_allowance(
    client, petition, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, source_burst=(2, 60), country_burst=(5, 60))
    capture = django_capture_on_commit_callbacks
    for _ in range(20):
        sign_from(client, capture, petition, ATTACKER, country="DE")
    others = [sign_from(client, capture, petition, f"203.0.{n}.1") for n in range(3)]
    assert statuses(others) == [302] * 3


def test_the_limits_are_per_petition(
    client, petition, letter, settings, django_capture_on_commit_callbacks
):
    set_limits(settings, source_burst=(2, 60))
    capture = django_capture_on_commit_callbacks
    for _ in range(3):
        sign_from(client, capture, petition, ATTACKER)
    assert sign_from(client, capture, petition, ATTACKER).status_code == 429
    assert sign_from(client, capture, letter, ATTACKER).status_code == 302


def test_the_sustained_limit_holds_after_the_burst_window_has_passed(
    client, petition, settings, monkeypatch, django_capture_on_commit_callbacks
):
    set_limits(settings, source_burst=(3, 60), source_sustained=(5, 3600))
    capture = django_capture_on_commit_callbacks
    clock = [7200.0 * 1000]
    monkeypatch.setattr(throttle, "clock", lambda: clock[0])
    first = [sign_from(client, capture, petition, ATTACKER) for _ in range(4)]
    assert statuses(first) == [302] * 3 + [429]
    clock[0] += 61  # a new burst window, the same hour
    second = [sign_from(client, capture, petition, ATTACKER) for _ in range(3)]
    assert statuses(second) == [302, 302, 429]
    refused = second[-1]
    assert refused["Retry-After"] == str(3600 - 61)
    assert "Please try again in 59 minutes." in refused.content.decode()


def test_a_form_with_errors_is_not_counted(client, petition, settings):
    set_limits(settings, source_burst=(1, 60))
    for _ in range(3):
        response = client.post("/en/p/ban/", {"name": "", "email": "x"}, REMOTE_ADDR=ATTACKER)
        assert response.status_code == 400
    source = network.source_key(RequestFactory().get("/", REMOTE_ADDR=ATTACKER))
    assert throttle.check(SCOPE, str(petition.pk), source, "domain", "DE").allowed


def test_a_verdict_counts_and_says_when_to_retry(petition, settings, monkeypatch):
    set_limits(settings, source_burst=(2, 60))
    monkeypatch.setattr(throttle, "clock", lambda: 6000.0 + 15)
    assert throttle.check(SCOPE, str(petition.pk), "s", "d", "DE").allowed
    assert throttle.check(SCOPE, str(petition.pk), "s", "d", "DE").allowed
    verdict = throttle.check(SCOPE, str(petition.pk), "s", "d", "DE")
    assert verdict == throttle.Verdict(allowed=False, limit="source_burst", retry_after=45, load=2)


# --- Scopes: any form, one line -------------------------------------------------------


def test_each_scope_counts_on_its_own(settings):
    set_limits(settings, source_burst=(2, 60))
    source = "s" * 32
    assert throttle.check("news.comment", "", source).allowed
    assert throttle.check("news.comment", "", source).allowed
    refused = throttle.check("news.comment", "", source)
    assert (refused.allowed, refused.limit) == (False, "source_burst")
    # The same network is a fresh start on another form, and on another petition.
    assert throttle.check("newsletter.subscribe", "", source).allowed
    assert throttle.check(SCOPE, "1", source).allowed


def test_a_form_without_address_or_country_is_counted_by_network_only(settings):
    set_limits(settings, domain_burst=(1, 60), country_burst=(1, 60))
    for n in range(5):
        assert throttle.check("atlas.report", "", f"{n:032x}").allowed


def test_a_scope_can_have_limits_of_its_own(settings):
    settings.RECLAIM = settings.RECLAIM | {
        "THROTTLES_BY_SCOPE": {"news.comment": {"source_burst": (1, 60)}}
    }
    source = "c" * 32
    assert throttle.check("news.comment", "", source).allowed
    assert not throttle.check("news.comment", "", source).allowed
    assert throttle.check(SCOPE, "7", source).allowed
    assert throttle.check(SCOPE, "7", source).allowed


def test_the_guard_is_one_call_with_a_scope(rf, settings):
    from reclaim.shield.guard import guard, refusal

    set_limits(settings, source_burst=(1, 60))
    request = rf.post("/en/news/comment/", {}, REMOTE_ADDR=ATTACKER)
    assert guard(request, "news.comment", target=12).allowed
    verdict = guard(request, "news.comment", target=12)
    assert not verdict.allowed
    assert refusal(verdict)["message"] == "Too many attempts from your network right now."
    assert guard(request, "news.comment", target=13).allowed


def test_separate_worker_processes_count_one_limit_between_them(
    client, petition, django_capture_on_commit_callbacks, worker_processes
):
    """Without Redis gunicorn's workers still share each counter: a source gets its limit
    once on the machine, not once per worker."""
    request = RequestFactory().get("/", REMOTE_ADDR=ATTACKER)
    source = network.source_key(request)
    limit, _window = throttle._config(SCOPE)["source_burst"]
    burst = f"""
from reclaim.shield import throttle
throttle.clock = lambda: {throttle.clock()!r}  # this test's still clock
result = [
    throttle.check({SCOPE!r}, {str(petition.pk)!r}, {source!r}).allowed
    for _ in range({limit})
]
"""
    # Two workers take attempts from one network at the same moment: twice the limit in all.
    allowed = worker_processes(burst)
    assert sum(sum(mine) for mine in allowed) == limit
    # The next attempt, through a third process (this one), is refused too.
    response = sign_from(client, django_capture_on_commit_callbacks, petition, ATTACKER)
    assert response.status_code == 429
