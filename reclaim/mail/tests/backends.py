"""A mail backend for the delivery tests that behaves like SMTP where it matters, and a way
to declare a kind of mail for one test."""

from __future__ import annotations

from collections.abc import Callable
from smtplib import SMTPRecipientsRefused
from typing import Any

from django.apps import apps
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class Server:
    """What the fake mail server does, shared by every connection to it."""

    connections = 0  # connections opened, explicitly or implicitly
    down = False  # refuse every connection
    refuse: set[str] = set()  # recipients it refuses
    delivered_by: list[tuple[str, int]] = []  # (recipient, connection number)

    @classmethod
    def reset(cls) -> None:
        cls.connections = 0
        cls.down = False
        cls.refuse = set()
        cls.delivered_by = []


class SMTPLikeBackend(BaseEmailBackend):
    """Delivers to ``mail.outbox`` like locmem, but counts connections as SMTP makes them:
    ``open()`` opens one, and ``send_messages()`` on a closed connection opens (and then
    closes) one of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number: int | None = None

    def open(self) -> bool:
        if self.number is not None:
            return False
        if Server.down:
            raise ConnectionRefusedError("mail server down")
        Server.connections += 1
        self.number = Server.connections
        return True

    def close(self) -> None:
        self.number = None

    def send_messages(self, email_messages: list[EmailMessage]) -> int:  # type: ignore[override]
        new = self.open()
        try:
            for message in email_messages:
                refused = set(message.to) & Server.refuse
                if refused:
                    raise SMTPRecipientsRefused({r: (550, b"no such user") for r in refused})
                assert self.number is not None
                Server.delivered_by.append((message.to[0], self.number))
                mail.outbox.append(message)
        finally:
            if new:
                self.close()
        return len(email_messages)


def declare_mail(
    monkeypatch: Any, kind: str, build: Callable[..., Any], list_mail: bool = False
) -> None:
    """Add a kind of mail for the length of a test, as if the mail app's mails.py declared
    it (monkeypatch takes it away again)."""
    from reclaim.core.hooks import Declared
    from reclaim.mail.builders import MAILS, Mail

    mail_app = apps.get_app_config("mail")
    declared = [*MAILS.declared(), Declared(mail_app, Mail(kind, build, list_mail))]
    monkeypatch.setattr(MAILS, "_declared", declared)
