"""gunicorn settings for reclaim: no client address in any log line.

The access log leaves out %(h)s (the remote address) and every gunicorn log passes through
the same scrubbing filter as the application's, for the few messages gunicorn writes with an
address in them (an invalid request, say).
"""

from __future__ import annotations

accesslog = "-"
access_log_format = '"%(r)s" %(s)s %(b)s %(L)ss'
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "reclaim.lib.logfilter.ScrubPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub"]}
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
