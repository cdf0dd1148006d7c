from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from reclaim.eci.forms.initiatives import InitiativeAdminForm
from reclaim.eci.models import Initiative, PaperBatch, Sponsor
from reclaim.eci.services import sponsors
from reclaim.eci.services.initiatives import save_initiative


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    # The form runs services.initiatives.check_initiative(), so the dates the law sets are
    # refused on the form, field by field, before save_initiative() is reached.
    form = InitiativeAdminForm
    # The Commission's addresses are https; an address typed without a scheme gets it.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["registration_number", "title", "status", "registered_on"]
    list_filter = ["status"]
    search_fields = ["registration_number", "title", "slug"]
    date_hierarchy = "registered_on"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at"]

    def save_model(self, request: HttpRequest, obj: Initiative, form: Any, change: bool) -> None:
        save_initiative(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting an initiative would delete its paper batches' custody record with it.
        return False


@admin.register(Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    """Every add, change and delete goes through reclaim.eci.services.sponsors, which
    audits it and marks the initiative's list as updated today."""

    list_display = ["name", "amount", "received_on", "initiative"]
    list_filter = ["initiative"]
    search_fields = ["name"]
    date_hierarchy = "received_on"
    list_select_related = ["initiative"]

    def save_model(self, request: HttpRequest, obj: Sponsor, form: Any, change: bool) -> None:
        sponsors.save_sponsor(obj, request.user)

    def delete_model(self, request: HttpRequest, obj: Sponsor) -> None:
        sponsors.remove_sponsor(obj, request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Sponsor]) -> None:
        for sponsor in queryset.select_related("initiative"):
            sponsors.remove_sponsor(sponsor, request.user)


@admin.register(PaperBatch)
class PaperBatchAdmin(admin.ModelAdmin):
    """Read-only: batches are recorded and moved along their custody chain on the
    organisers' page, through reclaim.eci.services.batches, so that every step is audited."""

    list_display = ["reference", "initiative", "partner", "country", "statements", "step"]
    list_filter = ["initiative", "country"]
    search_fields = ["reference", "partner"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
