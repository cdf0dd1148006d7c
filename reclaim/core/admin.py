from __future__ import annotations

from django.contrib import admin

from reclaim.core.models import FrontPage


@admin.register(FrontPage)
class FrontPageAdmin(admin.ModelAdmin):
    list_display = ["language", "title", "updated_at"]
    fields = ["language", "title", "lead", "body", "action_label", "action_url"]
