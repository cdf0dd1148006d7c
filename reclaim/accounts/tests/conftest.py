"""The accounts app's own fixtures."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from reclaim.accounts.enrolment import hand_over_link


@pytest.fixture
def open_link() -> Any:
    """``open_link(client, user)``: issue an enrolment link for ``user`` (as
    ``reclaim staff_totp --link`` does) and press its button in ``client``'s session, which
    may then set up an authenticator app. Returns the link's path."""

    def open_(client: Client, user: Any) -> str:
        path = urlsplit(hand_over_link(user, actor="test")).path
        response = client.post(path)
        assert response.status_code == 302, response
        return path

    return open_
