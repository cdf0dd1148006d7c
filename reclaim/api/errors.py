"""The API's errors: a JSON object with a ``detail`` in the reader's language, never a page
and never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Schema

logger = logging.getLogger("reclaim.api")

NOT_FOUND = _("Not found.")
BAD_PARAMETER = _("A parameter of the request is not valid.")
SERVER_ERROR = _("Something went wrong on our side. Please try again later.")
READ_ONLY = _("This API is read-only: it answers GET, HEAD and OPTIONS only.")
TOO_MANY = _("Too many requests from your network. Please try again in %(seconds)s seconds.")


class Error(Schema):
    """What every error answer holds."""

    detail: str


class ParameterError(Schema):
    loc: list[str | int]
    msg: str


class BadRequest(Error):
    errors: list[ParameterError]


def error(status: int, detail: str | Promise, **extra: Any) -> JsonResponse:
    # Never kept by a cache: a refusal is for one source, a 404 may be published soon.
    response = JsonResponse({"detail": str(detail), **extra}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def parameter_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where each bad parameter is and what is wrong with it, and nothing else (pydantic's
    entries also echo the input and link to its documentation)."""
    return [
        {"loc": [str(part) for part in entry.get("loc", ())], "msg": str(entry.get("msg", ""))}
        for entry in errors
    ]


def server_error(request: HttpRequest, exc: Exception) -> JsonResponse:
    logger.exception(
        "API error on %s", request.resolver_match.route if request.resolver_match else "?"
    )
    return error(500, SERVER_ERROR)
