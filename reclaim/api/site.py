"""The public API: one django-ninja ``NinjaAPI``, and the routers the apps declare.

The API is versioned in its address (``/api/v1/``): a change that breaks a reader's code
gets a new version next to this one, never a change in place. Its title and description are
in the reader's language (Accept-Language), like the error messages; the schema's field
descriptions are written for developers, in English.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError

from reclaim.api.errors import BAD_PARAMETER, NOT_FOUND, error, parameter_errors, server_error
from reclaim.api.routers import ROUTERS

VERSION = "1"
NAMESPACE = "api_v1"

TITLE = _("reclaim public API")
DESCRIPTION = _(
    "Read-only figures of this campaign: its petitions and open letters with their signature"
    " counts per country, its European citizens' initiatives with their figures per member"
    " state, its coalition's directory, its newsroom, and the surveillance atlas's public"
    " records with their licence. Open to every site (CORS), cacheable, limited per network."
    " No personal data."
)

# Swagger UI, served from our own origin (ninja's static files): no inline script, so the
# site's Content-Security-Policy applies unchanged. validatorUrl: None, or the page would
# load a badge from swagger.io; "Try it out" calls this same origin only.
DOCS = Swagger(
    settings={
        "validatorUrl": None,
        "tryItOutEnabled": False,
        "defaultModelsExpandDepth": 0,
        "displayRequestDuration": False,
    }
)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(404, NOT_FOUND)


def _bad_parameter(request: HttpRequest, exc: Exception) -> HttpResponse:
    errors = exc.errors if isinstance(exc, ValidationError) else []
    return error(400, BAD_PARAMETER, errors=parameter_errors(errors))


def _http_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    status = exc.status_code if isinstance(exc, HttpError) else 400
    return error(status, str(exc))


def build() -> NinjaAPI:
    """A new API with every declared router mounted (called once, by ``reclaim.api.urls``)."""
    api = NinjaAPI(
        # Lazy: rendered into the schema and the docs page in the reader's language.
        title=cast(str, TITLE),
        version=VERSION,
        description=cast(str, DESCRIPTION),
        urls_namespace=NAMESPACE,
        docs=DOCS,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    handlers: list[tuple[type[Exception], Any]] = [
        (Http404, _not_found),
        (ValidationError, _bad_parameter),
        (HttpError, _http_error),
        # Logged, and answered in JSON: never a stack trace, even with DEBUG on.
        (Exception, server_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
    for mounted in ROUTERS:
        api.add_router(mounted.prefix, mounted.router)
    return api
