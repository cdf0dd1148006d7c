"""The privacy page names the data controller and a contact (GDPR Article 13(1)(a))."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import checks
from django.test import override_settings

from reclaim.privacy.checks import controller_is_named


def _with(**changes: str) -> dict:
    return {**settings.RECLAIM, **changes}


def test_the_privacy_page_names_the_controller_its_address_and_a_contact(client):
    config = _with(
        CONTROLLER_NAME="Stop Watching Us e.V.",
        CONTROLLER_ADDRESS="Beispielweg 7\n10999 Berlin",
        PRIVACY_CONTACT="datenschutz@stopwatching.example",
    )
    with override_settings(RECLAIM=config):
        response = client.get("/en/privacy/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Who is responsible" in body
    assert "Data controller" in body
    assert "Stop Watching Us e.V." in body
    assert "Beispielweg 7<br>10999 Berlin" in body
    assert (
        '<a href="mailto:datenschutz@stopwatching.example">datenschutz@stopwatching.example</a>'
        in body
    )


def test_the_defaults_outside_production_are_shown_as_examples(client):
    body = client.get("/en/privacy/").content.decode()
    assert settings.RECLAIM["CONTROLLER_NAME"] in body
    assert settings.RECLAIM["PRIVACY_CONTACT"] in body


def test_the_controller_is_escaped_like_any_text(client):
    with override_settings(RECLAIM=_with(CONTROLLER_NAME="<script>x</script> & Co")):
        body = client.get("/en/privacy/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Co" in body
    assert "<script>x</script>" not in body


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"CONTROLLER_NAME": ""}, [("reclaim.privacy.W001", "RECLAIM_CONTROLLER_NAME is not set")]),
        (
            {"CONTROLLER_ADDRESS": " ", "PRIVACY_CONTACT": ""},
            [
                (
                    "reclaim.privacy.W001",
                    "RECLAIM_CONTROLLER_ADDRESS, RECLAIM_PRIVACY_CONTACT are not set",
                )
            ],
        ),
        (
            {"PRIVACY_CONTACT": "not an address"},
            [("reclaim.privacy.W002", "RECLAIM_PRIVACY_CONTACT is not an email address")],
        ),
    ],
)
def test_the_deploy_check_warns_when_the_controller_is_not_named(changes, expected):
    with override_settings(RECLAIM=_with(**changes)):
        found = controller_is_named()
    assert len(found) == len(expected)
    for message, (id_, text) in zip(found, expected, strict=True):
        assert message.id == id_
        assert message.level == checks.WARNING
        assert text in message.msg
