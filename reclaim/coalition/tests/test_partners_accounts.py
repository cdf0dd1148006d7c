"""Partner accounts: not staff, in the Partners role with no model permission, signing in
through the same page and second factor as staff, and never into the admin."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts.access import enrollable_staff
from reclaim.accounts.enrolment import hand_over_link
from reclaim.accounts.roles import grants_name_real_permissions, sync_roles
from reclaim.accounts.services import ensure_staff_account
from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import Organisation, Partner
from reclaim.coalition.roles import PARTNER
from reclaim.coalition.services.partners import AccountExists, make_partner_account
from reclaim.coalition.tests.fixtures_partners import *  # noqa: F403
from reclaim.core import hooks
from reclaim.core.hooks import Declared, Grant, role_names

pytestmark = pytest.mark.django_db

AREA = "/en/coalition/partner/digital-a/"


@pytest.fixture
def required(settings: Any) -> None:
    settings.RECLAIM = {**settings.RECLAIM, "REQUIRE_2FA": True}


@pytest.fixture
def with_password(partner_a: Any) -> Any:
    partner_a.set_password("pw-anna")
    partner_a.save()
    return partner_a


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_partner_account_is_not_staff_and_holds_no_permission(org_a: Organisation) -> None:
    user = make_partner_account(org_a, " Anna@A.example.org ", actor="test", language="fr")
    assert user.username == "anna@a.example.org"
    assert user.email == "anna@a.example.org"
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.has_usable_password()
    assert user.groups.filter(name=PARTNER).exists()
    assert Partner.objects.get(user=user).organisation == org_a
    assert user.staff_profile.language == "fr"
    assert user.get_all_permissions() == set()
    entry = AuditEntry.objects.get(action="coalition.partner_account_create")
    assert entry.target == "organisation digital-a"
    assert "anna" not in str(entry.detail)
    with pytest.raises(AccountExists):
        make_partner_account(org_a, "anna@a.example.org", actor="test")


def test_the_partners_role_exists_and_is_given_no_permission() -> None:
    assert PARTNER in role_names()
    sync_roles()
    assert not Group.objects.get(name=PARTNER).permissions.exists()


def test_a_permission_granted_to_partners_stops_the_site(monkeypatch: Any) -> None:
    declared = [
        *hooks.PERMISSIONS.declared(),
        Declared(apps.get_app_config("coalition"), Grant(PARTNER, ["coalition.view_organisation"])),
    ]
    monkeypatch.setattr(hooks.PERMISSIONS, "_declared", declared)
    errors = grants_name_real_permissions()
    assert [error.id for error in errors] == ["reclaim.accounts.E003"]


def test_the_staff_account_command_refuses_the_partner_role() -> None:
    with pytest.raises(ValueError, match="not a staff role"):
        ensure_staff_account("someone", PARTNER, "pw")


def test_a_partner_signs_in_and_passes_the_second_factor_into_their_area(
    required: None,
    with_password: Any,
) -> None:
    client = Client()
    # The same sign-in page as staff; the area asks for it.
    to_sign_in = client.get(AREA)
    assert to_sign_in.status_code == 302
    assert to_sign_in["Location"].startswith("/en/admin/login/")
    response = client.post(
        "/en/admin/login/", {"username": "anna@a.example.org", "password": "pw-anna", "next": AREA}
    )
    assert response.status_code == 302
    assert response["Location"] == AREA
    # Past the password, not the second factor: the area waits for the code.
    response = client.get(AREA)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/en/staff/two-factor/"
    # No app yet: the password alone does not set one up.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "ask an organiser to send you one" in page.content.decode()

    # The invitation's enrolment link: open it, scan, type the code.
    path = urlsplit(hand_over_link(with_password, actor="test")).path
    opened = client.post(path)
    assert opened.status_code == 302
    assert "next=%2Fen%2Fcoalition%2Fpartner%2F" in opened["Location"]
    client.get(opened["Location"])
    device = TOTPDevice.objects.get(user=with_password)
    done = client.post(opened["Location"], {"token": code_for(device)})
    assert done.status_code == 302
    assert done["Location"] == "/en/coalition/partner/"
    assert client.get(done["Location"])["Location"] == AREA
    assert client.get(AREA).status_code == 200

    # The admin stays closed: its sign-in page, never its index.
    admin = client.get("/en/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/en/admin/login/")
    login_page = client.get(admin["Location"]).content.decode()
    assert "not authorized to access this page" in login_page


def test_signing_in_without_a_next_page_leads_a_partner_to_their_area(
    required: None,
    with_password: Any,
) -> None:
    TOTPDevice.objects.create(user=with_password, name="phone", confirmed=True)
    client = Client()
    client.post("/en/admin/login/", {"username": "anna@a.example.org", "password": "pw-anna"})
    # The admin's default next (its index) would only show its sign-in again.
    response = client.get("/en/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/en/staff/two-factor/")
    device = TOTPDevice.objects.get(user=with_password)
    done = client.post(response.redirect_chain[-1][0], {"token": code_for(device)})
    assert done["Location"] == "/en/coalition/partner/"


def test_an_account_with_no_role_cannot_sign_in(db: Any) -> None:
    User.objects.create_user("nobody", password="pw-nobody")
    client = Client()
    response = client.post("/en/admin/login/", {"username": "nobody", "password": "pw-nobody"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_organisers_may_send_a_partner_a_new_enrolment_link(partner_a: Any, organiser: Any) -> None:
    assert partner_a in enrollable_staff()
    assert organiser in enrollable_staff()
    assert enrollable_staff().filter(pk=partner_a.pk).count() == 1
