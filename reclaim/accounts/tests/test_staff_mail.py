"""Mail to staff goes to whoever holds the permission, in the language they work in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from reclaim.accounts.models import StaffProfile
from reclaim.accounts.services import staff_recipients

pytestmark = pytest.mark.django_db


def test_signing_in_sets_the_language_of_the_staff_member_s_mail(organiser: User) -> None:
    client = Client()
    response = client.post(
        "/de/admin/login/", {"username": "alice", "password": "pw-alice", "next": "/de/admin/"}
    )
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=organiser).language == "de"

    client.post("/fr/admin/login/", {"username": "alice", "password": "pw-alice"})
    assert StaffProfile.objects.get(user=organiser).language == "fr"


def test_a_failed_sign_in_changes_nothing(organiser: User) -> None:
    Client().post("/fr/admin/login/", {"username": "alice", "password": "wrong"})
    assert not StaffProfile.objects.filter(user=organiser).exists()


def test_recipients_are_those_who_hold_the_permission_with_an_address(
    organiser: User, moderator: User, outsider: User
) -> None:
    for user, address in [(organiser, "alice@x.example"), (moderator, "bob@x.example")]:
        user.email = address
        user.save()
    outsider.email = "charlie@x.example"
    outsider.save()
    outsider.user_permissions.add(
        Permission.objects.get(codename="organise_initiative", content_type__app_label="eci")
    )
    StaffProfile.objects.create(user=organiser, language="de")
    User.objects.create_superuser("root", "root@x.example", "pw")
    User.objects.create_superuser("quiet", "", "pw")
    gone = User.objects.create_user("gone", "gone@x.example", is_staff=True, is_active=False)
    gone.user_permissions.add(
        Permission.objects.get(codename="organise_initiative", content_type__app_label="eci")
    )

    assert staff_recipients("eci.organise_initiative") == [
        ("alice@x.example", "de"),
        ("charlie@x.example", "en"),
        ("root@x.example", "en"),
    ]
    assert staff_recipients("letters.moderate_signature") == [
        ("alice@x.example", "de"),
        ("bob@x.example", "en"),
        ("root@x.example", "en"),
    ]
