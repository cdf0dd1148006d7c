"""Alerts and bulk invalidations in the admin: read-only, for the organisers.

They are written only by the detection job and by reclaim.letters.moderation.invalidation
(which keeps the preview exact and the audit log complete), so the admin neither adds nor
edits them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reclaim.letters.moderation import trending
from reclaim.letters.moderation.access import PERMISSION
from reclaim.letters.moderation.models import Alert, InvalidationRun


class ReadOnlyAdmin(admin.ModelAdmin):
    # Whoever may invalidate signatures may see why and how it was done, without a
    # separate view permission per model to keep in step with the roles.
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user: Any = request.user
        return bool(user.is_staff and user.has_perm(PERMISSION)) or super().has_view_permission(
            request, obj
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request) or super().has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["raised_at", "kind", "what", "petition", "window_start", "count", "usual"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    date_hierarchy = "raised_at"
    list_select_related = ["petition"]

    @admin.display(description=Alert._meta.get_field("label").verbose_name)
    def what(self, obj: Alert) -> str:
        return trending.describe(obj)


@admin.register(InvalidationRun)
class InvalidationRunAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "count", "undone_at", "purged_at"]
    date_hierarchy = "created_at"
