"""The password alone does not choose the second factor: an authenticator app is set up only
through a single-use, expiring enrolment link that an organiser sends (or a console command
prints), and only by the staff member it was issued to."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts.demo import staff_accounts
from reclaim.accounts.enrolment import SESSION_KEY, hand_over_link
from reclaim.accounts.models import EnrolmentLink, StaffProfile
from reclaim.audit.models import AuditEntry
from reclaim.demo.steps import DemoContext
from reclaim.lib.tokens import hash_token
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db

PAGE = "/en/staff/two-factor/"
ORGANISE = "/en/staff/enrolment/"
ASK = "ask an organiser to send you one"


@pytest.fixture(autouse=True)
def required(settings):
    settings.RECLAIM = {**settings.RECLAIM, "REQUIRE_2FA": True}


def signed_in(user) -> Client:
    """Past the password, not yet past the second factor."""
    client = Client()
    client.force_login(user)
    return client


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def link_path(user) -> str:
    """A link issued as `reclaim staff_totp USERNAME --link` issues it."""
    return urlsplit(hand_over_link(user, actor="test")).path


def enrol(client: Client, path: str) -> TOTPDevice:
    """Open the link, press its button, scan the QR code and enter the first code."""
    language = path.split("/")[1]  # the link's pages are in the language it was sent in
    page = f"/{language}/staff/two-factor/"
    assert client.post(path)["Location"].startswith(page)
    assert "<svg" in client.get(page).content.decode()
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    response = client.post(page, {"token": code_for(device), "next": f"/{language}/admin/"})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == f"/{language}/admin/"
    device.refresh_from_db()
    return device


# --- Without a link -----------------------------------------------------------------


def test_the_password_alone_cannot_set_up_an_authenticator_app(organiser):
    client = signed_in(organiser)
    # Every staff page sends Alice to the two-factor page, which tells her what to do.
    assert client.get("/en/admin/")["Location"].startswith(PAGE)
    response = client.get(PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert ASK in body
    assert "<svg" not in body
    assert 'name="token"' not in body
    assert not TOTPDevice.objects.exists()
    # Posting a code anyway sets up nothing.
    assert client.post(PAGE, {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.exists()
    assert client.get("/en/moderation/alerts/")["Location"].startswith(PAGE)


def test_a_device_left_pending_without_a_link_cannot_be_confirmed(organiser):
    # Set up by the old page, or by someone who had the password: its key may be known.
    pending = TOTPDevice.objects.create(user=organiser, name="phone", confirmed=False)
    client = signed_in(organiser)
    assert ASK in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"token": code_for(pending)}).status_code == 403
    pending.refresh_from_db()
    assert pending.confirmed is False
    assert DEVICE_ID_SESSION_KEY not in client.session


# --- With a link ------------------------------------------------------------------


def test_a_link_sets_up_an_authenticator_app_once(organiser):
    path = link_path(organiser)
    client = signed_in(organiser)
    # Opening it changes nothing (mail scanners follow links): its button does.
    page = client.get(path)
    assert page.status_code == 200
    assert "Set up my authenticator app" in page.content.decode()
    assert SESSION_KEY not in client.session
    assert not TOTPDevice.objects.exists()

    device = enrol(client, path)
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/en/admin/").status_code == 200
    link = EnrolmentLink.objects.get(user=organiser)
    assert link.used_at is not None
    entry = AuditEntry.objects.get(action="account.two_factor_enrolled")
    assert (entry.actor, entry.target, entry.detail) == (
        "alice",
        f"user:{organiser.pk}",
        {"replaced": 0},
    )

    # Used: neither this session nor another one can set up a second app with it.
    again = client.get(path)
    assert again.status_code == 410
    assert "This enrolment link has been used" in again.content.decode()
    other = signed_in(organiser)
    assert other.post(path).status_code == 410
    # It asks for the code of the app Alice set up, and shows no QR code.
    body = other.get(PAGE).content.decode()
    assert "Enter the code your authenticator app shows" in body
    assert "<svg" not in body
    assert TOTPDevice.objects.filter(user=organiser).count() == 1


def test_two_sessions_opening_one_link_set_up_one_app(organiser):
    path = link_path(organiser)
    first, second = signed_in(organiser), signed_in(organiser)
    second.post(path)
    second.get(PAGE)  # shows a QR code, so a pending device exists for it
    device = enrol(first, path)
    # The first right code used the link: the other session is asked for the new app's
    # code like any sign-in (and that one was just spent).
    response = second.post(PAGE, {"token": code_for(device)})
    assert response.status_code == 400  # asked for the code of the app that was set up
    assert DEVICE_ID_SESSION_KEY not in second.session
    assert list(TOTPDevice.objects.filter(user=organiser)) == [device]


def test_an_expired_link_sets_up_nothing(organiser, settings):
    settings.RECLAIM = {**settings.RECLAIM, "ENROLMENT_LINK_HOURS": 72}
    path = link_path(organiser)
    link = EnrolmentLink.objects.get(user=organiser)
    assert link.expires_at - link.issued_at == timedelta(hours=72)
    EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client = signed_in(organiser)
    response = client.post(path)
    assert response.status_code == 410
    assert "Enrolment links work for 72 hours, and this one has expired." in (
        response.content.decode()
    )
    assert ASK in client.get(PAGE).content.decode()
    assert not TOTPDevice.objects.exists()


def test_a_link_that_expires_while_its_page_is_open_confirms_nothing(organiser):
    path = link_path(organiser)
    client = signed_in(organiser)
    client.post(path)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=organiser)
    EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(PAGE, {"token": code_for(device)})
    assert response.status_code == 403
    assert ASK in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_link_used_by_another_request_meanwhile_confirms_nothing(organiser, monkeypatch):
    """The race the row lock closes: the page read the link as usable, and another request
    used it before this code was checked."""
    from reclaim.accounts import enrolment

    path = link_path(organiser)
    client = signed_in(organiser)
    client.post(path)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=organiser)
    stale = EnrolmentLink.objects.get(user=organiser)
    EnrolmentLink.objects.update(used_at=timezone.now())
    monkeypatch.setattr(enrolment, "opened_link", lambda request: stale)
    response = client.post(PAGE, {"token": code_for(device), "next": "/en/admin/"})
    assert response["Location"] == "/en/staff/two-factor/?next=%2Fen%2Fadmin%2F"
    device.refresh_from_db()
    assert device.confirmed is False
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_link_works_only_for_the_account_it_was_issued_to(organiser, moderator):
    path = link_path(organiser)
    response = signed_in(moderator).post(path)
    assert response.status_code == 404
    assert "made for another account" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    # A made-up token is unknown in the same words.
    assert signed_in(organiser).get("/en/staff/enrol/not-a-token/").status_code == 404


def test_a_visitor_with_a_link_is_asked_to_sign_in_first(client, organiser):
    path = link_path(organiser)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/admin/login/")
    assert path in response["Location"]
    # And after signing in with the password, the link's page opens.
    signin = client.post(
        response["Location"], {"username": "alice", "password": "pw-alice", "next": path}
    )
    assert signin["Location"] == path
    assert client.get(path).status_code == 200


def test_a_new_link_replaces_the_previous_one(organiser):
    first = link_path(organiser)
    client = signed_in(organiser)
    client.post(first)  # opened, not yet used
    second = link_path(organiser)
    assert signed_in(organiser).get(first).status_code == 404
    # The session opened with the first link may no longer set up an app.
    assert ASK in client.get(PAGE).content.decode()
    assert enrol(signed_in(organiser), second).confirmed
    assert EnrolmentLink.objects.count() == 1


def test_a_link_replaces_a_lost_phone(organiser):
    lost = TOTPDevice.objects.create(user=organiser, name="lost phone", confirmed=True)
    device = enrol(signed_in(organiser), link_path(organiser))
    assert list(TOTPDevice.objects.filter(user=organiser)) == [device]
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    entry = AuditEntry.objects.get(action="account.two_factor_enrolled")
    assert entry.detail == {"replaced": 1}


def test_only_the_hash_of_a_link_is_stored(organiser):
    url = hand_over_link(organiser, actor="test")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    stored = EnrolmentLink.objects.get(user=organiser)
    assert stored.token_hash == hash_token(token)
    assert token not in str(list(EnrolmentLink.objects.values()))


# --- Issued by an organiser ---------------------------------------------------------


def test_an_organiser_sends_a_link_that_a_colleague_enrols_with(
    organiser, moderator, as_user, mailoutbox, django_capture_on_commit_callbacks
):
    moderator.email = "bob@example.org"
    moderator.save()
    StaffProfile.objects.create(user=moderator, language="de")
    client = as_user(organiser)
    assert ORGANISE in client.get("/en/admin/").content.decode()  # listed on the start page
    page = client.get(ORGANISE)
    assert page.status_code == 200
    assert "Send bob an enrolment link" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ORGANISE, {"member": moderator.pk}, follow=True)
    assert "An enrolment link is on its way to bob." in response.content.decode()
    entry = AuditEntry.objects.get(action="account.enrolment_link_issued")
    assert entry.actor == "alice"
    assert (entry.target, entry.detail["by"]) == (f"user:{moderator.pk}", "mail")
    # Through the outbox, in Bob's language; the address is gone once the mail is sent.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["bob@example.org"]
    path = re.search(r"https?://[^/\s]+(/de/staff/enrol/[^/\s]+/)", mailoutbox[0].body).group(1)
    assert not OutgoingMail.objects.exists()
    assert "valid until" in client.get(ORGANISE).content.decode()

    device = enrol(signed_in(moderator), path)
    assert device.confirmed is True
    assert "used on" in client.get(ORGANISE).content.decode()


def test_a_link_replaced_before_its_mail_went_out_is_not_sent(
    organiser, moderator, as_user, mailoutbox, django_capture_on_commit_callbacks
):
    moderator.email = "bob@example.org"
    moderator.save()
    client = as_user(organiser)
    client.post(ORGANISE, {"member": moderator.pk})  # queued, not yet sent
    path = link_path(moderator)  # handed over meanwhile
    from reclaim.mail.services import deliver_pending

    deliver_pending()
    assert mailoutbox == []
    assert enrol(signed_in(moderator), path).confirmed


def test_without_an_address_the_organiser_is_told_how_else(organiser, moderator, as_user):
    response = as_user(organiser).post(ORGANISE, {"member": moderator.pk}, follow=True)
    assert "bob has no email address." in response.content.decode()
    assert not EnrolmentLink.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_only_organisers_may_issue_links(moderator, outsider, as_user):
    for user in (moderator, outsider):
        client = as_user(user)
        assert client.get(ORGANISE).status_code == 403
        assert client.post(ORGANISE, {"member": user.pk}).status_code == 403
    assert not EnrolmentLink.objects.exists()


def test_the_organisers_page_asks_for_the_second_factor_first(organiser):
    response = signed_in(organiser).get(ORGANISE)
    assert response["Location"].startswith(PAGE)


# --- From the console ---------------------------------------------------------------


def test_staff_totp_prints_a_link_to_hand_over(organiser):
    out = StringIO()
    call_command("staff_totp", "alice", "--link", stdout=out)
    url = out.getvalue().strip()
    assert url.startswith("http://127.0.0.1:8000/en/staff/enrol/")
    assert not TOTPDevice.objects.exists()
    assert enrol(signed_in(organiser), urlsplit(url).path).confirmed
    entry = AuditEntry.objects.get(action="account.enrolment_link_issued")
    assert (entry.actor, entry.detail["by"]) == ("manage.py staff_totp", "hand-over")


def test_staff_totp_mails_a_link(organiser, mailoutbox, django_capture_on_commit_callbacks):
    with pytest.raises(CommandError, match="no email address"):
        call_command("staff_totp", "alice", "--mail", stdout=StringIO())
    organiser.email = "alice@example.org"
    organiser.save()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("staff_totp", "alice", "--mail", stdout=out)
    assert "is in the outbox" in out.getvalue()
    assert mailoutbox[0].to == ["alice@example.org"]
    assert "/en/staff/enrol/" in mailoutbox[0].body


def test_the_demo_prints_links_when_two_factor_is_on(db, tmp_path):
    report = staff_accounts(DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0))
    urls = [line.split()[-1] for line in report.lines if "/staff/enrol/" in line]
    assert len(urls) == 2
    organiser = EnrolmentLink.objects.get(user__username="organiser").user
    assert enrol(signed_in(organiser), urlsplit(urls[0]).path).confirmed
