"""A mail backend for the delivery tests that behaves like SMTP where it matters."""

from __future__ import annotations

from smtplib import SMTPRecipientsRefused
from typing import Any

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
