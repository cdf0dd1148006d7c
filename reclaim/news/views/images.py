"""Articles' images, served from our origin: the bytes we re-encoded, under an address
that carries their version, so a year of caching is safe."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from reclaim.news.access import get_image
from reclaim.news.services.images import extension

# The address changes with the image: browsers and proxies may keep it for a year.
MAX_AGE = 365 * 24 * 3600


@require_GET
def image(request: HttpRequest, pk: str, version: str, ext: str) -> HttpResponse:
    found = get_image(int(pk))
    if version != found.version or ext != extension(found):
        # An article written before the image was replaced: the current one, briefly cached.
        moved = redirect("news:image", pk=found.pk, version=found.version, ext=extension(found))
        moved["Cache-Control"] = "public, max-age=60"
        return moved
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{found.pk}.{ext}"'
    return response
