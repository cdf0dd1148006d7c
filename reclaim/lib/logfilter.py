"""A logging filter that keeps addresses, emails and names out of every log line.

reclaim never logs a client address or a signer's data on purpose; this filter is the net
under that rule, for what a library or an exception message might carry: IPv4 and IPv6
addresses, email addresses, and the fields of a failed form.
"""

from __future__ import annotations

import ipaddress
import logging
import re

# Candidates only: each is confirmed by the ipaddress module, so a time such as 12:30:01
# or a version such as 1.2.3 is left alone.
CANDIDATE = re.compile(r"(?<![\w.:])[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*(?:%\w+)?(?![\w.:])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Things that look like addresses but are not a person's: loopback and unspecified.
KEEP = {"127.0.0.1", "0.0.0.0", "::1"}  # noqa: S104


def _is_address(token: str) -> bool:
    try:
        ipaddress.ip_address(token.split("%")[0])
    except ValueError:
        return False
    return True


def _address(match: re.Match[str]) -> str:
    token = match.group(0)
    if _is_address(token):
        return token if token in KEEP else "[address]"
    host, _, port = token.rpartition(":")
    if "." in host and port.isdigit() and _is_address(host):  # 203.0.113.5:443
        return token if host in KEEP else "[address]:" + port
    return token


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
