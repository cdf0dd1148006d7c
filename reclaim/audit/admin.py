from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reclaim.audit.kinds import labels
from reclaim.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "what", "target", "count"]
    list_filter = ["action"]
    search_fields = ["actor", "action", "target"]
    date_hierarchy = "at"

    @admin.display(description=_("what"))
    def what(self, obj: AuditEntry) -> str:
        """The action in words, as its app declares it (reclaim.audit.kinds)."""
        return str(labels().get(obj.action, ""))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
