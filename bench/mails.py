"""Reading the confirmation links out of the mails Django's file backend wrote.

Tokens exist only in mails (reclaim stores their hash), so this is how the harness gets
them, as a signer would. Pure Python: no Django here.
"""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,100})/")


class Mailbox:
    """The mail folder, read incrementally: each file is parsed once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # File name -> bytes already read. reclaim sends a batch of mails over one
        # connection, and the file backend writes one file per connection, appending each
        # message as it goes: a file is read up to its last complete message, and again
        # from there the next time.
        self.offsets: dict[str, int] = {}
        # Address -> (file modification time, token): the newest link wins, as a new
        # link replaces the old one.
        self.tokens: dict[str, tuple[float, str]] = {}
        self.mailed: set[str] = set()
        # The modification time of the file of each message read, in order.
        self.times: list[float] = []

    def scan(self) -> int:
        new = 0
        if not self.folder.exists():
            return 0
        for path in self.folder.iterdir():
            start = self.offsets.get(path.name, 0)
            try:
                mtime = path.stat().st_mtime
                with path.open("rb") as handle:
                    handle.seek(start)
                    data = handle.read()
            except FileNotFoundError:
                continue
            end = data.rfind(SEPARATOR)
            if end < 0:
                continue  # no complete message yet
            self.offsets[path.name] = start + end + len(SEPARATOR)
            for raw in data[:end].split(SEPARATOR):
                if raw.strip():
                    self._read(raw, mtime)
                    self.times.append(mtime)
                    new += 1
        return new

    def _read(self, raw: bytes, mtime: float) -> None:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        to = str(message.get("To", "")).strip().lower()
        self.mailed.add(to)
        for part in message.walk():
            if part.get_content_type() != "text/plain":
                continue
            text = part.get_content()
            match = LINK.search(text)
            if match and self.tokens.get(to, (0.0, ""))[0] <= mtime:
                self.tokens[to] = (mtime, match.group(1))
            break

    def token(self, address: str) -> str | None:
        found = self.tokens.get(address.lower())
        return found[1] if found else None
