"""The access log: one line a request, naming the route, never the path or the query.

A mailed link carries its secret in the path (``/en/s/<token>/``, the privacy records
page), and the ECI eligibility checker is a GET form whose answers are the query
(nationality, date of birth) under a promise that nothing entered is stored. So the line
says which view answered, and how::

    GET letters:link 200 5120B 3.1ms

gunicorn writes no access line of its own (``reclaim.core.gunicorn_conf``) and
runserver's is silenced in settings. Django's own warnings ("Not Found: /en/s/<token>/")
name the path too: ``RouteInsteadOfPath`` puts the route in its place.

It runs on every request, the signing and counter paths included: two clock readings
and, when INFO is on, one log record.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import resolve

logger = logging.getLogger("reclaim.access")

# A request no URL pattern matched (a 404, or a redirect to the language prefix).
NO_ROUTE = "(no-route)"
# A file WhiteNoise served before URL resolution.
STATIC = "(static)"
# Any other method is a client's invention, and could carry what it likes.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


def route(request: HttpRequest) -> str:
    """The name of the view for the request (``letters:link``), never what the client sent.

    Django resolves the URL once every middleware has let the request through. When one
    answered first (a cross-site post refused, an oversized body, a redirect to the
    language prefix), the path is resolved here: rare, and a 404's extra resolution is
    cheap next to the page it answers with.
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        if request.path_info.startswith(settings.STATIC_URL or "/static/"):
            return STATIC
        try:
            match = resolve(request.path_info)
        except Http404:
            return NO_ROUTE
    return str(match.view_name)


class AccessLogMiddleware:
    """First in MIDDLEWARE: the duration covers every other middleware, and the status is
    the one sent (a redirect to the language prefix, WhiteNoise's files, the error pages)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            method = request.method if request.method in METHODS else "OTHER"
            # CommonMiddleware sets Content-Length on every response it is not streaming;
            # counting a streamed body would mean reading it.
            size = response.get("Content-Length")
            logger.info(
                "%s %s %s %s %.1fms",
                method,
                route(request),
                response.status_code,
                f"{size}B" if size is not None else "-",
                (time.perf_counter() - started) * 1000,
            )
        return response


class RouteInsteadOfPath(logging.Filter):
    """Django's request warnings name the path: "Not Found: /en/s/<token>/", "Forbidden
    (CSRF token missing.): /en/privacy/data/r/<token>/erase/". Such a record carries the
    request (``extra={"request": ...}``); the argument that is its path becomes its route.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request: Any = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if not isinstance(path, str) or not isinstance(record.args, tuple):
            return True
        # django.utils.log.log_response escapes its arguments ("\u00e9" for "é").
        escaped = path.encode("unicode_escape").decode("ascii")
        label = route(request)
        record.args = tuple(
            label if isinstance(arg, str) and arg in (path, escaped) else arg for arg in record.args
        )
        return True
