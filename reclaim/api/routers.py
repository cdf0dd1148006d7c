"""How an app adds endpoints to the public API: a list of routers in its own ``api.py``.

An app writes a django-ninja ``Router`` and lists it under the prefix it answers at::

    # reclaim/letters/api.py
    from ninja import Router
    from reclaim.api.routers import ApiRouter

    router = Router(tags=["petitions"])

    @router.get("", ...)
    def petitions(request): ...

    ROUTERS = [ApiRouter("petitions", router)]

and its endpoints appear under ``/api/v1/petitions``, in the OpenAPI schema and on the docs
page. Everything the API app adds around them (read-only methods, CORS, caching headers,
throttling, JSON errors) applies to them with nothing more to write. The API app imports no
campaign app: the apps import this module, and the hook (``reclaim.core.hooks``) finds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ninja import Router

from reclaim.core.hooks import Hook


@dataclass(frozen=True)
class ApiRouter:
    """A router and the prefix its endpoints answer under in ``/api/v1/`` (no slashes:
    ``"petitions"``). Two apps cannot claim one prefix (system check reclaim.core.E001)."""

    prefix: str
    router: Router


ROUTERS = Hook[ApiRouter]("api", "ROUTERS", key=lambda mounted: mounted.prefix)
