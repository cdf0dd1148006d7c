"""Authentication that refuses a locked username (reclaim.accounts.lockout)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from reclaim.accounts import lockout


class LockoutModelBackend(ModelBackend):
    """Django's username and password check, refused while the username is locked.

    A locked attempt raises PermissionDenied, which makes ``authenticate()`` stop without
    asking any other backend; the password is not even checked, so a guesser learns
    nothing during the lock.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is not None and lockout.is_locked(username):
            lockout.refuse(username)
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and username is not None:
            lockout.clear(username)
        return user
