from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reclaim.keyring.models import PublicKey


@admin.register(PublicKey)
class PublicKeyAdmin(admin.ModelAdmin):
    list_display = ["key_id", "holder", "created_at", "retired_at"]
    readonly_fields = ["key_id", "holder", "public_pem", "created_at", "retired_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Keys are made with `reclaim keys create`, so the private half never passes
        # through the web server.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
