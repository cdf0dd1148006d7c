"""gunicorn settings for reclaim: no client address, path or query in any log line.

gunicorn writes no access log: its line would hold the request line, whose path carries
the secret of a mailed link (``/en/s/<token>/``) and whose query carries what a visitor
typed into a GET form (the ECI eligibility checker). The application writes the access
line instead, naming the route (``reclaim.core.accesslog``). ``NoAccessLog`` keeps it that
way whatever the command line asks for (``--access-logfile``), and costs nothing a request.

Every gunicorn log passes through the same scrubbing filter as the application's, for
the few messages gunicorn writes with an address in them ("Invalid request from
ip=..."), after ``HideRequest`` has taken out what the client sent.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

# A repr() in gunicorn's message: "Invalid HTTP request line: 'GET /en/s/<token>/ HTTP/9'".
QUOTED = re.compile(r"""b?'(?:[^'\\]|\\.)*'|b?"(?:[^"\\]|\\.)*\"""")


class NoAccessLog(Logger):
    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """The application logs each request by its route (reclaim.core.accesslog)."""


class HideRequest(logging.Filter):
    """gunicorn names what the client sent in two messages: the request line or header it
    refused ("Invalid request from ip=...: Invalid HTTP request line: '...'") and the
    method and URI of a request it could not finish ("Error handling request GET /...").
    Either can hold a token or a query; the kind of error is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(record.msg, str):
            return True
        if record.msg.startswith("Invalid request from"):
            record.msg = QUOTED.sub("'(not logged)'", record.msg)
        elif record.msg.startswith("Error handling request") and record.args:
            record.msg, record.args = "Error handling request (request not logged)", ()
        return True


logger_class = NoAccessLog
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "reclaim.core.gunicorn_conf.HideRequest"},
        "scrub": {"()": "reclaim.lib.logfilter.ScrubPersonalData"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request", "scrub"],
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
