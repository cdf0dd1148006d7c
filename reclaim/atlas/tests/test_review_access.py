"""Who may open the review pages and send their forms: reviewers review and vote,
organisers also confirm and withdraw; moderators, staff without a role and visitors get
nothing, and nothing changes when they try."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from reclaim.atlas.models import Evidence, Report, Verification, Vote
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.atlas.tests.review_helpers import (
    make_report,
    queue_url,
    record_url,
    report_url,
)
from reclaim.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(belgrade: Any, make_device: Any) -> dict[str, Any]:
    device = make_device(belgrade)
    evidence = Evidence.objects.create(
        device=device,
        claim="existence",
        kind=Evidence.Kind.FOI_ANSWER,
        title="The ministry's answer",
        url="https://example.org/answer",
    )
    return {"report": make_report(), "device": device, "evidence": evidence}


def _client(who: str, request: Any, as_user: Any) -> Client:
    if who == "anonymous":
        return Client()
    user: User = request.getfixturevalue(who)
    return as_user(user)


@pytest.fixture
def reviewer(make_reviewer: Any) -> User:
    return make_reviewer("dana")


def _requests(setting: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, str]]]:
    device, report, evidence = setting["device"], setting["report"], setting["evidence"]
    return {
        "queue": ("get", queue_url(), {}),
        "report": ("get", report_url(report), {}),
        "record": ("get", record_url(device), {}),
        "accept": (
            "post",
            report_url(report),
            {
                "action": "accept",
                "latitude": "44.8",
                "longitude": "20.4",
                "watches": "street",
                "mount": "pole",
                "camera_type": "dome",
            },
        ),
        "reject": ("post", report_url(report), {"action": "reject", "reject_note": "A lamp."}),
        "vote": ("post", record_url(device, "vote"), {"verdict": "confirm"}),
        "confirm": ("post", record_url(device, "confirm"), {"evidence": str(evidence.pk)}),
        "withdraw": ("post", record_url(device, "withdraw"), {"withdraw_note": "Wrong."}),
        "republish": ("post", record_url(device, "republish"), {}),
    }


ALL = ["queue", "report", "record", "accept", "reject", "vote", "confirm", "withdraw", "republish"]


@pytest.mark.parametrize("who", ["moderator", "outsider"])
@pytest.mark.parametrize("what", ALL)
def test_staff_without_the_review_role_are_refused_and_nothing_changes(
    who: str, what: str, setting: dict[str, Any], request: Any, as_user: Any
) -> None:
    client = _client(who, request, as_user)
    method, url, data = _requests(setting)[what]
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    _assert_nothing_changed(setting)


@pytest.mark.parametrize("what", ALL)
def test_a_visitor_is_sent_to_sign_in_and_nothing_changes(
    what: str, setting: dict[str, Any], request: Any, as_user: Any
) -> None:
    method, url, data = _requests(setting)[what]
    response = getattr(Client(), method)(url, data)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    _assert_nothing_changed(setting)


@pytest.mark.parametrize("what", ["confirm", "withdraw", "republish"])
def test_a_reviewer_may_not_confirm_withdraw_or_republish(
    what: str, setting: dict[str, Any], reviewer: User, as_user: Any
) -> None:
    method, url, data = _requests(setting)[what]
    response = getattr(as_user(reviewer), method)(url, data)
    assert response.status_code == 403
    _assert_nothing_changed(setting)


def test_a_reviewer_sees_the_queue_report_and_record_pages(
    setting: dict[str, Any], reviewer: User, as_user: Any
) -> None:
    client = as_user(reviewer)
    for what in ("queue", "report", "record"):
        _method, url, _data = _requests(setting)[what]
        response = client.get(url)
        assert response.status_code == 200, what
    page = client.get(record_url(setting["device"])).content.decode()
    # The organisers' buttons are not offered to a reviewer.
    assert record_url(setting["device"], "confirm") not in page
    assert record_url(setting["device"], "withdraw") not in page


def test_an_organiser_sees_the_official_confirmation_and_withdrawal(
    setting: dict[str, Any], organiser: User, as_user: Any
) -> None:
    page = as_user(organiser).get(record_url(setting["device"])).content.decode()
    assert record_url(setting["device"], "confirm") in page
    assert record_url(setting["device"], "withdraw") in page


@pytest.mark.parametrize("who", ["reviewer", "organiser"])
def test_reviewers_and_organisers_may_accept_reject_and_vote(
    who: str, setting: dict[str, Any], request: Any, as_user: Any, make_report_twice: Any
) -> None:
    client = _client(who, request, as_user)
    requests = _requests(setting)
    method, url, data = requests["vote"]
    assert client.post(url, data).status_code == 302
    method, url, data = requests["accept"]
    assert client.post(url, data).status_code == 302
    other = make_report_twice()
    response = client.post(report_url(other), {"action": "reject", "reject_note": "Not one."})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.state == Report.State.REJECTED


@pytest.fixture
def make_report_twice() -> Any:
    return make_report


def test_the_staff_area_lists_atlas_review_for_reviewers_only(
    reviewer: User, moderator: User, as_user: Any
) -> None:
    page = as_user(reviewer).get("/en/admin/").content.decode()
    assert "Atlas review" in page
    assert queue_url() in page
    page = as_user(moderator).get("/en/admin/").content.decode()
    assert queue_url() not in page


def test_a_reviewer_holds_no_admin_permission_to_change_records(reviewer: User) -> None:
    assert reviewer.has_perm("atlas.review_atlas")
    assert not reviewer.has_perm("atlas.confirm_atlas")
    for model in ("deployment", "device", "report", "evidence", "vote"):
        assert not reviewer.has_perm(f"atlas.add_{model}")
        assert not reviewer.has_perm(f"atlas.change_{model}")
        assert not reviewer.has_perm(f"atlas.delete_{model}")


def test_the_staff_account_service_makes_a_reviewer(db: Any) -> None:
    from reclaim.accounts.services import ensure_staff_account

    user, created = ensure_staff_account("gordana", "Reviewers", "a long passphrase here")
    assert created
    user = User.objects.get(pk=user.pk)
    assert user.is_staff
    assert user.has_perm("atlas.review_atlas")
    assert not user.has_perm("atlas.confirm_atlas")


def _assert_nothing_changed(setting: dict[str, Any]) -> None:
    report = Report.objects.get(pk=setting["report"].pk)
    assert report.state == Report.State.PENDING
    device = type(setting["device"]).objects.get(pk=setting["device"].pk)
    assert device.published
    assert device.verification == Verification.REPORTED
    assert not Vote.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="atlas.").exists()
