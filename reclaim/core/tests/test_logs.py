"""Logs carry no addresses, emails, names, mailed-link tokens or GET form answers.

The filters and the access line, in process. The real server, driven from several client
addresses, is in test_logs_server.py; the nginx site in test_logs_nginx.py.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from reclaim.core.gunicorn_conf import HideRequest, NoAccessLog
from reclaim.lib.logfilter import scrub

ADDRESS = "198.51.100.23"
V6 = "2001:db8:85a3::8a2e:370:7334"
TOKEN = "kT3vQ9xWm2LpR7sYbN4cJ8hF1dG6aZ0eUoIiPqVwXyE"


def test_scrub_removes_addresses_and_emails_but_keeps_the_rest():
    line = f"Not Found: /p/x from {ADDRESS} and {V6} for jane.doe+x@example.org at 12:30:01"
    assert scrub(line) == "Not Found: /p/x from [address] and [address] for [email] at 12:30:01"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # The colon after the address used to be read as part of it ("203.0.113.5:"),
        # which is no address, and the line went out whole.
        (
            "Invalid request from ip=203.0.113.5: Invalid HTTP request line: ''",
            "Invalid request from ip=[address]: Invalid HTTP request line: ''",
        ),
        ("Invalid request from ip=2001:db8::1: x", "Invalid request from ip=[address]: x"),
        ("Invalid request from ip=::1: x", "Invalid request from ip=[address]: x"),
        ("Invalid request from ip=127.0.0.2: x", "Invalid request from ip=[address]: x"),
        ("Invalid request from ip=::ffff:203.0.113.5: x", "Invalid request from ip=[address]: x"),
    ],
)
def test_scrub_removes_the_address_of_gunicorns_invalid_request_line(line, expected):
    assert scrub(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("from 2001:db8::1", "from [address]"),
        ("from 2001:DB8::A", "from [address]"),
        ("from 2001:db8::1.", "from [address]."),
        ("to [2001:db8::1]:443 ok", "to [address]:443 ok"),
        ("http://[2001:db8::1]/en/", "http://[address]/en/"),
        ("mapped ::ffff:203.0.113.5 here", "mapped [address] here"),
        ("mapped ::ffff:203.0.113.5:443", "mapped [address]:443"),
        ("link-local fe80::1%eth0 here", "link-local [address] here"),
        ("link-local fe80::1%eth0: x", "link-local [address]: x"),
        ("link-local [fe80::1%eth0]:8000", "link-local [address]:8000"),
        ("link-local fe80::1%25eth0", "link-local [address]"),
        ("prefix 2001:db8::", "prefix [address]"),
    ],
)
def test_scrub_removes_ipv6_addresses_in_every_written_form(line, expected):
    assert scrub(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("from 203.0.113.5.", "from [address]."),
        ("from 203.0.113.5:443", "from [address]:443"),
        ("from 203.0.113.5:443:", "from [address]:443:"),
        ("('203.0.113.5', 51234)", "('[address]', 51234)"),
        ("for=203.0.113.5,198.51.100.23", "for=[address],[address]"),
    ],
)
def test_scrub_removes_ipv4_addresses_glued_to_punctuation(line, expected):
    assert scrub(line) == expected


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.0.0.2", "::1", "0.0.0.0", "[::1]:8000", "[::]:8000"],  # noqa: S104
)
def test_scrub_removes_loopback_and_unspecified_addresses_too(address):
    """No list of exceptions: a client on 127.0.0.2 or ::1 is a client like any other."""
    assert scrub(f"client {address} here") in {
        "client [address] here",
        "client [address]:8000 here",
    }


def test_scrub_leaves_times_versions_durations_and_words_alone():
    line = "at 12:30:01,123 version 1.2.3 took 12.5ms route letters:link 50% done: ok."
    assert scrub(line) == line


def test_gunicorn_keeps_the_kind_of_error_but_not_what_the_client_sent():
    record = logging.LogRecord(
        "gunicorn.error",
        logging.WARNING,
        __file__,
        1,
        f"Invalid request from ip=127.0.0.2: Invalid HTTP request line: "
        f"'GET /en/s/{TOKEN}/?nationality=MT HTTP/1.1 x'",
        None,
        None,
    )
    HideRequest().filter(record)
    assert record.getMessage() == (
        "Invalid request from ip=127.0.0.2: Invalid HTTP request line: '(not logged)'"
    )

    record = logging.LogRecord(
        "gunicorn.error",
        logging.ERROR,
        __file__,
        1,
        "Error handling request %s %s",
        ("GET", f"/en/s/{TOKEN}/?nationality=MT"),
        None,
    )
    HideRequest().filter(record)
    assert record.getMessage() == "Error handling request (request not logged)"


def test_gunicorn_writes_no_access_line_even_if_asked(capsys):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s "%(r)s"')
    NoAccessLog(config).access(None, None, {}, None)  # would fail reading a real request
    assert capsys.readouterr() == ("", "")


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the console handler configured in settings writes, with all its filters."""
    root = logging.getLogger()
    handler = next(h for h in root.handlers if h.get_name() == "console")
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous_stream, previous_level = handler.setStream(stream), root.level
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        handler.setStream(previous_stream)
        root.setLevel(previous_level)


def _access_lines(console: io.StringIO) -> list[str]:
    return [line for line in console.getvalue().splitlines() if " reclaim.access " in line]


def test_the_access_log_names_the_route_never_the_path_or_the_query(
    client, console, petition, initiative
):
    client.get(
        "/en/eci/ban-biometric/check/",
        {"nationality": "MT", "birth_date": "1957-03-25"},
        REMOTE_ADDR=ADDRESS,
    )
    client.get(f"/en/s/{TOKEN}/withdraw/", REMOTE_ADDR=V6)
    client.get(f"/en/privacy/data/r/{TOKEN}/")
    client.get("/en/p/ban/")
    client.get("/en/nowhere/?q=1957-03-25")
    client.get("/healthz")
    lines = _access_lines(console)
    assert len(lines) == 6, console.getvalue()
    assert [line.split(" reclaim.access ")[1].split()[:3] for line in lines] == [
        ["GET", "eci:check", "200"],
        ["GET", "letters:withdraw", "404"],
        ["GET", "privacy:records", "404"],
        ["GET", "letters:detail", "200"],
        ["GET", "(no-route)", "404"],
        ["GET", "healthz", "200"],
    ]
    # Size and duration close each line: "... 200 5120B 3.1ms".
    assert all(line.endswith("ms") and "B " in line for line in lines), lines
    output = console.getvalue()
    for secret in (TOKEN, "nationality", "1957-03-25", "/en/", ADDRESS, "2001:db8"):
        assert secret not in output


def test_djangos_request_warnings_name_the_route_instead_of_the_path(client, console, db):
    client.get(f"/en/s/{TOKEN}/")  # the view answers 404: "Not Found: <path>"
    client.get(f"/en/nowhere/{TOKEN}/")  # no route at all: Django raises Http404
    # Refused by a middleware, before Django resolves the URL: resolved for the log.
    client.post(f"/en/s/{TOKEN}/withdraw/", "x", "text/plain", CONTENT_LENGTH=str(10**9))
    output = console.getvalue()
    assert "WARNING django.request Not Found: letters:link" in output
    assert "WARNING django.request Not Found: (no-route)" in output
    assert "django.request Request Entity Too Large: letters:withdraw" in output
    assert "reclaim.access POST letters:withdraw 413" in output
    assert TOKEN not in output and "/en/" not in output


def test_the_access_log_is_silent_when_info_is_off(client, console, db):
    logging.getLogger().setLevel(logging.WARNING)
    client.get("/healthz")
    assert _access_lines(console) == []
