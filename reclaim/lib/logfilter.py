"""A logging filter that keeps addresses, emails and names out of every log line.

reclaim never logs a client address or a signer's data on purpose; this filter is the net
under that rule, for what a library or an exception message might carry: IPv4 and IPv6
addresses, email addresses, and the fields of a failed form.

Every address goes, loopback and unspecified included. A client can come from 127.0.0.2 or
::1 as well as from anywhere (a proxy on the same host, a local test), and a rule with a
list of exceptions is one nobody can check by reading a log. The server's own address is
not lost: ``reclaim serve`` prints it on its standard output, outside logging.
"""

from __future__ import annotations

import ipaddress
import logging
import re

# Candidates only: each is confirmed by the ipaddress module, so a time such as 12:30:01
# or a version such as 1.2.3 is left alone. Either an address in brackets ("[::1]:443",
# "http://[2001:db8::1]/") or a run of hex digits, dots and colons with an optional zone
# ("fe80::1%eth0"). A run takes up any dot or colon glued to its end ("ip=203.0.113.5:
# Invalid request", "from 2001:db8::1."): _scrub_run looks for the address inside it.
CANDIDATE = re.compile(
    r"(?<![\w.:])"
    r"(?:\[(?P<bracketed>[0-9A-Fa-f.:]+(?:%[\w.-]+)?)\]"
    r"|(?P<run>[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*)(?P<zone>%[\w-]+)?(?!\w))"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ADDRESS = "[address]"


def _is_address(token: str) -> bool:
    try:
        ipaddress.ip_address(token.split("%")[0])
    except ValueError:
        return False
    return True


def _scrub_run(run: str) -> str | None:
    """The run with its address replaced, or None if it holds none.

    Tried whole first ("2001:db8::" ends in colons and is an address), then without the
    dots and colons at its end one by one (punctuation after the address), each time also
    as IPv4 with a port ("203.0.113.5:443").
    """
    head = run
    while head:
        tail = run[len(head) :]
        if _is_address(head):
            return ADDRESS + tail
        host, colon, port = head.rpartition(":")
        if colon and port.isdigit() and "." in host and _is_address(host):
            return f"{ADDRESS}:{port}{tail}"
        if head[-1] not in ".:":
            return None
        head = head[:-1]
    return None


def _address(match: re.Match[str]) -> str:
    bracketed = match.group("bracketed")
    if bracketed is not None:
        return ADDRESS if _is_address(bracketed) else match.group(0)
    scrubbed = _scrub_run(match.group("run"))
    if scrubbed is None:
        return match.group(0)
    # A zone names the host's interface, part of the address: it goes with it.
    return scrubbed


def scrub(text: str) -> str:
    return CANDIDATE.sub(_address, EMAIL.sub("[email]", text))


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave the record as it is
            return True
        scrubbed = scrub(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Render the traceback now, scrubbed, so the formatter does not add the raw one.
            formatter = logging.Formatter()
            scrubbed += "\n" + scrub(formatter.formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = scrubbed, None
        return True
