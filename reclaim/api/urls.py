"""``/api/v1/``: the API's endpoints, its schema and docs page, and a JSON 404 for the rest.

Every view is wrapped in ``reclaim.api.http.public_read`` (read-only, CORS, caching,
throttling), the ones the apps declare and the schema and docs alike.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path, reverse

from reclaim.api import site
from reclaim.api.errors import NOT_FOUND, error
from reclaim.api.http import public_read

api = site.build()
patterns, _app, namespace = api.urls


def index(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """The API's root: where its schema and docs are."""
    return JsonResponse(
        {
            "title": str(site.TITLE),
            "version": site.VERSION,
            "openapi": request.build_absolute_uri(reverse(f"{namespace}:openapi-json")),
            "docs": request.build_absolute_uri(reverse(f"{namespace}:openapi-view")),
        }
    )


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error(404, NOT_FOUND)


def _wrapped(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if not isinstance(pattern, URLPattern):
        return pattern
    # ninja's root only raises a 404; its name stays, ninja reverses it for the schema.
    callback = index if pattern.name == "api-root" else pattern.callback
    return URLPattern(pattern.pattern, public_read(callback), pattern.default_args, pattern.name)


app_name = namespace
urlpatterns = [
    *(_wrapped(pattern) for pattern in patterns),
    re_path(r"^(?P<rest>.*)$", public_read(not_found)),
]
