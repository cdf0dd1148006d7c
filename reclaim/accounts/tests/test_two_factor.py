"""Staff pages need a one-time code (TOTP) as well as the password, when REQUIRE_2FA is on."""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts.checks import two_factor_required
from reclaim.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PAGE = "/en/staff/two-factor/"
STAFF_AREAS = [
    "/en/admin/",
    "/de/admin/letters/petition/",
    "/en/eci/ban-biometric/organise/",
    "/en/eci/ban-biometric/organise/figures/",
    "/fr/moderation/alerts/",
    "/en/audit/export.csv",
]


@pytest.fixture
def required(settings):
    settings.RECLAIM = {**settings.RECLAIM, "REQUIRE_2FA": True}


def signed_in(user) -> Client:
    """Past the password, not yet past the second factor."""
    client = Client()
    client.force_login(user)
    return client


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def redirect_target(response) -> tuple[str, str]:
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query).get("next", [""])[0]


@pytest.mark.parametrize("path", STAFF_AREAS)
def test_an_unverified_staff_member_is_sent_to_the_two_factor_page(required, organiser, path):
    response = signed_in(organiser).get(path)
    assert response.status_code == 302
    target, next_url = redirect_target(response)
    assert target == f"/{path.split('/')[1]}/staff/two-factor/"
    assert next_url == path


def test_signing_in_through_the_admin_leads_to_the_code(required, organiser):
    client = Client()
    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "alice", "password": "pw-alice", "next": "/en/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Two-factor authentication" in body
    # Alice has no authenticator app yet, and her password alone cannot set one up.
    assert "ask an organiser to send you one" in body


def test_the_admin_logout_stays_open(required, organiser):
    client = signed_in(organiser)
    response = client.post("/en/admin/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_an_svg_qr_code_and_the_key_to_type(required, organiser, open_link):
    client = signed_in(organiser)
    open_link(client, organiser)
    response = client.get(PAGE, {"next": "/en/shield/alerts/"})
    body = response.content.decode()
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=organiser)
    assert device.confirmed is False
    # The QR code is markup in the page: no image request, no style attribute.
    assert re.search(r'<div role="img" aria-label="[^"]+"><svg ', body)
    assert "<img" not in body
    assert "style=" not in body
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", body).group(1)
    assert len(key.replace(" ", "")) == 32
    # The form is the shared accessible one, for a one-time code.
    assert '<label for="id_token">' in body
    assert 'autocomplete="one-time-code"' in body
    assert 'name="next" value="/en/shield/alerts/"' in body
    # A reload shows the same key, so a scanned code still matches.
    again = client.get(PAGE).content.decode()
    assert key in again
    assert TOTPDevice.objects.filter(user=organiser).count() == 1


def test_a_right_code_confirms_the_device_and_opens_the_staff_pages(required, organiser, open_link):
    client = signed_in(organiser)
    open_link(client, organiser)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=organiser)
    old_session = client.session.session_key
    response = client.post(PAGE, {"token": code_for(device), "next": "/en/shield/alerts/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/shield/alerts/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != old_session
    assert client.get("/en/admin/").status_code == 200
    entry = AuditEntry.objects.get(action="account.two_factor_enrolled")
    assert (entry.actor, entry.target) == ("alice", f"user:{organiser.pk}")


def test_a_wrong_code_is_refused_with_a_clear_error(required, organiser, open_link):
    client = signed_in(organiser)
    open_link(client, organiser)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=organiser)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(PAGE, {"token": wrong})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in body
    assert "That code is not right." in body
    assert 'aria-invalid="true"' in body
    device.refresh_from_db()
    assert device.confirmed is False
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/en/admin/").status_code == 302
    # django-otp's throttling: right after a wrong code, even the right one must wait.
    response = client.post(PAGE, {"token": code_for(device)})
    assert response.status_code == 400
    assert "Too many wrong codes in a row." in response.content.decode()


def test_a_malformed_code_is_refused_before_it_is_checked(required, organiser, open_link):
    client = signed_in(organiser)
    open_link(client, organiser)
    client.get(PAGE)
    response = client.post(PAGE, {"token": "12ab"})
    assert response.status_code == 400
    assert "Enter the 6 digits your app shows" in response.content.decode()
    assert TOTPDevice.objects.get(user=organiser).throttling_failure_count == 0


def test_a_confirmed_device_asks_only_for_the_code(required, organiser):
    device = TOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)
    client = signed_in(organiser)
    body = client.get(PAGE).content.decode()
    assert "<svg" not in body
    assert device.key not in body
    assert '<label for="id_token">' in body
    response = client.post(PAGE, {"token": code_for(device)})
    assert response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200
    assert TOTPDevice.objects.filter(user=organiser).count() == 1


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "http://testserver.evil/"]
)
def test_next_to_another_host_is_ignored(required, organiser, next_url):
    device = TOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)
    client = signed_in(organiser)
    response = client.post(PAGE, {"token": code_for(device), "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/"


def test_a_verified_session_reaches_every_staff_area(required, organiser, as_user):
    client = as_user(organiser)
    for path in STAFF_AREAS:
        response = client.get(path)
        assert response.status_code != 302 or PAGE not in response["Location"], path
    assert client.get("/en/admin/").status_code == 200
    # The page itself sends a verified member on.
    assert client.get(PAGE, {"next": "/en/shield/alerts/"})["Location"] == "/en/shield/alerts/"


def test_a_visitor_is_unaffected(required, client, petition, django_user_model):
    assert client.get("/en/p/ban/").status_code == 200
    login = client.get("/en/admin/")
    assert login.status_code == 302
    assert login["Location"].startswith("/en/admin/login/")
    assert client.get(PAGE)["Location"].startswith("/en/admin/login/")
    # A signed-in account that is not staff is not asked for a code, nor let in.
    member = django_user_model.objects.create_user("dora", password="pw-dora")
    other = signed_in(member)
    assert other.get("/en/p/ban/").status_code == 200
    assert other.get("/en/admin/")["Location"].startswith("/en/admin/login/")
    assert other.get(PAGE).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_with_2fa_off_nothing_changes(settings, organiser):
    settings.RECLAIM = {**settings.RECLAIM, "REQUIRE_2FA": False}
    client = signed_in(organiser)
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/moderation/alerts/").status_code == 200
    assert not TOTPDevice.objects.exists()


def test_staff_totp_prints_a_working_otpauth_address(organiser):
    out = StringIO()
    call_command("staff_totp", "alice", stdout=out)
    uri = out.getvalue().strip()
    assert uri.startswith("otpauth://totp/")
    assert "alice" in uri
    assert "secret=" in uri
    device = TOTPDevice.objects.get(user=organiser)
    assert device.confirmed is True
    assert device.verify_token(code_for(device))
    assert AuditEntry.objects.filter(action="account.two_factor_device_created").count() == 1
    call_command("staff_totp", "alice", "--replace", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=organiser).count() == 1


def test_staff_totp_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("staff_totp", "nobody", stdout=StringIO())


def test_production_without_2fa_fails_the_deploy_check(settings):
    settings.PRODUCTION = True
    settings.RECLAIM = {**settings.RECLAIM, "REQUIRE_2FA": False}
    assert [w.id for w in two_factor_required()] == ["reclaim.accounts.W001"]
    settings.RECLAIM = {**settings.RECLAIM, "REQUIRE_2FA": True}
    assert two_factor_required() == []
