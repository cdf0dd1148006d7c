"""The kinds of mail, each declared by the app that sends it.

An app lists its mails as ``MAILS`` in its own ``mails.py`` (``reclaim.core.hooks``): a kind
(``letters.confirm``) and the function that builds it when the outbox sends it. The builder
gets the queued row and returns a :class:`Letter` (templates and context), or None when
there is nothing left to say (the signature was withdrawn meanwhile, say): then the row and
its address are dropped unsent.

A list mail (``list_mail=True``: a newsletter issue, say) must carry the address of its
one-click unsubscribe page; the outbox sends it with ``List-Unsubscribe`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), and refuses to send one
without.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reclaim.core.hooks import Hook

if TYPE_CHECKING:
    from reclaim.mail.models import OutgoingMail


@dataclass
class Letter:
    """What a builder returns: ``emails/<template>-subject.txt``, ``-body.txt`` and
    ``-body.html`` rendered with ``context`` in the mail's language."""

    template: str
    context: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    # For a list mail: the absolute address of the page that unsubscribes with one POST.
    unsubscribe_url: str = ""


@dataclass(frozen=True)
class Mail:
    kind: str
    build: Callable[[OutgoingMail], Letter | None]
    list_mail: bool = False


MAILS = Hook[Mail]("mails", "MAILS", key=lambda mail: mail.kind)


class UnknownMail(ValueError):
    """A mail of a kind that no app declares in its mails.py."""


class MissingUnsubscribe(ValueError):
    """A list mail whose builder gave no unsubscribe address."""


def mail_kind(kind: str) -> Mail:
    for mail in MAILS:
        if mail.kind == kind:
            return mail
    raise UnknownMail(f"No app declares the mail {kind!r} in its mails.py.")


def list_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: the unsubscribe link, and that one POST to it is enough."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def letter_for(mail: OutgoingMail) -> Letter | None:
    """Build the queued mail; a list mail gets its unsubscribe headers."""
    kind = mail_kind(mail.kind)
    letter = kind.build(mail)
    if letter is None or not kind.list_mail:
        return letter
    if not letter.unsubscribe_url.startswith(("https://", "http://")):
        raise MissingUnsubscribe(f"The list mail {mail.kind!r} has no unsubscribe address.")
    letter.headers = {**letter.headers, **list_headers(letter.unsubscribe_url)}
    return letter
