"""What every answer of the API gets, around whatever view gives it.

- Read-only: GET and HEAD are answered, OPTIONS is a CORS preflight; any other method is
  refused with 405 before a view runs.
- Open to every origin for reading: ``Access-Control-Allow-Origin: *`` on every answer to
  GET, HEAD and OPTIONS (the figures are public, and a partner's page fetches them from
  its own site). No cookie is read or set, so ``*`` exposes nothing of a visitor.
- Counted per source network by the shield (scope ``api.read``, limits from
  ``RECLAIM["THROTTLES"]`` and ``RECLAIM["THROTTLES_BY_SCOPE"]["api.read"]``): past the
  limit, 429 with ``Retry-After``.
- Cacheable: a successful answer says ``Cache-Control: public, max-age=API_MAX_AGE`` and
  carries an ETag; a request with a matching ``If-None-Match`` gets 304 with no body.
  Errors say ``no-store``: a refusal is for one source, and must not be kept for all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

from reclaim.api.errors import NOT_FOUND, READ_ONLY, TOO_MANY, error
from reclaim.shield.guard import guard

SCOPE = "api.read"
READ_METHODS = ("GET", "HEAD")
ALLOWED = "GET, HEAD, OPTIONS"
# A cross-origin request that revalidates (If-None-Match) is not a "simple" request: the
# browser asks first, and must be told it may send that header and read the ETag.
ALLOWED_HEADERS = "If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Retry-After"
PREFLIGHT_MAX_AGE = 86400

View = Callable[..., HttpResponseBase]

# Django's own conditional GET (ETag from the body, 304 on a match), for these views only:
# the rest of the site sets no ETag.
_conditional = decorator_from_middleware(ConditionalGetMiddleware)


def _cors(response: HttpResponseBase) -> HttpResponseBase:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED
    response["Access-Control-Allow-Methods"] = ALLOWED
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def _not_allowed() -> HttpResponse:
    # No Access-Control-Allow-Origin: nothing on another site may read or write here.
    response = error(405, READ_ONLY)
    response["Allow"] = ALLOWED
    return response


def _cache_headers(response: HttpResponseBase) -> HttpResponseBase:
    if response.status_code == 200:
        max_age = int(settings.RECLAIM["API_MAX_AGE"])
        response["Cache-Control"] = f"public, max-age={max_age}"
    else:
        response.setdefault("Cache-Control", "no-store")
    return response


def public_read(view: View) -> View:
    """Wrap one of the API's views (see the module's docstring)."""

    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # from a view outside ninja's handlers (the docs, the root)
            response = error(404, NOT_FOUND)
        return _cache_headers(response)

    conditional_answer = _conditional(answer)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return _cors(_preflight())
        if request.method not in READ_METHODS:
            return _not_allowed()
        verdict = guard(request, SCOPE)
        if not verdict.allowed:
            refused = error(429, TOO_MANY % {"seconds": verdict.retry_after})
            refused["Retry-After"] = str(verdict.retry_after)
            return _cors(refused)
        # HEAD is GET without the body, which the server leaves out; ninja's views route on
        # the method and know only GET.
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        try:
            response = conditional_answer(request, *args, **kwargs)
        finally:
            if head:
                request.method = "HEAD"
        return _cors(response)

    # Nothing here is a form: no CSRF token to ask for (unsafe methods are refused above).
    return csrf_exempt(wrapped)
