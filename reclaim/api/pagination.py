"""Pages of a list: ``?page=2&page_size=50``, at most ``RECLAIM["API_MAX_PAGE_SIZE"]`` items.

django-ninja's page-number pagination, with the sizes read from the settings on each
request (not once at import, so that a deployment's settings and a test's override apply)
and a bound on the page number: a huge offset would reach the database as an error.
"""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 10_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1.")
        page_size: int | None = Field(
            None, ge=1, description="Items per page; the server caps it (API_MAX_PAGE_SIZE)."
        )

    def _get_page_size(self, requested_page_size: int | None) -> int:
        largest = int(settings.RECLAIM["API_MAX_PAGE_SIZE"])
        size = requested_page_size or int(settings.RECLAIM["API_PAGE_SIZE"])
        return min(size, largest)
