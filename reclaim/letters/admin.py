from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reclaim.letters import services
from reclaim.letters.models import CountryCount, MilestoneReached, Petition, Signature
from reclaim.letters.moderation import admin as moderation_admin  # noqa: F401 (registers alerts)
from reclaim.letters.moderation import invalidation


class CountryCountInline(admin.TabularInline):
    model = CountryCount
    fields = readonly_fields = ("country", "count", "updated_at")
    extra = 0
    can_delete = False
    ordering = ["-count"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MilestoneInline(admin.TabularInline):
    model = MilestoneReached
    fields = readonly_fields = ("threshold", "reached_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "goal", "confirmed", "opens_at", "closes_at"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["data_purged_at"]
    inlines = [CountryCountInline, MilestoneInline]

    @admin.display(description=_("confirmed (last count)"))
    def confirmed(self, obj: Petition) -> int:
        return obj.counts.aggregate(total=Sum("count"))["total"] or 0

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a petition would delete signatures without the retention engine.
        return False


def _action(permission: str, service: Any, message: Callable[[int], str]) -> Any:
    def action(modeladmin: SignatureAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        count = service(request.user, queryset)
        modeladmin.message_user(request, message(count) % {"count": count}, messages.SUCCESS)

    action.allowed_permissions = (permission,)  # type: ignore[attr-defined]
    return action


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "petition",
        "kind",
        "country",
        "listed_name",
        "review",
        "state",
        "created_at",
    ]
    list_filter = ["petition", "kind", "review", "country"]
    search_fields = ["public_name"]
    date_hierarchy = "created_at"
    list_select_related = ["petition"]
    # Nothing here is editable by hand: every change goes through an audited action.
    fields = readonly_fields = (
        "petition",
        "kind",
        "country",
        "language",
        "created_at",
        "confirmed_at",
        "invalidated_at",
        "hidden_at",
        "review",
        "listed",
        "public_name",
        "public_website",
        "key_id",
        "personal_data_deleted_at",
    )
    actions = ["approve", "reject", "hide", "invalidate", "restore"]

    approve = admin.action(description=_("Approve organisations"))(
        _action(
            "moderate",
            services.approve_organisations,
            lambda n: ngettext(
                "%(count)s organisation approved.", "%(count)s organisations approved.", n
            ),
        )
    )
    reject = admin.action(description=_("Reject organisations"))(
        _action(
            "moderate",
            services.reject_organisations,
            lambda n: ngettext(
                "%(count)s organisation rejected.", "%(count)s organisations rejected.", n
            ),
        )
    )
    hide = admin.action(description=_("Hide listed names"))(
        _action(
            "moderate",
            services.hide_names,
            lambda n: ngettext("%(count)s name hidden.", "%(count)s names hidden.", n),
        )
    )
    invalidate = admin.action(description=_("Invalidate signatures"))(
        _action(
            "invalidate",
            invalidation.invalidate_selected,
            lambda n: ngettext(
                "%(count)s signature invalidated.", "%(count)s signatures invalidated.", n
            ),
        )
    )
    restore = admin.action(description=_("Restore invalidated signatures"))(
        _action(
            "invalidate",
            invalidation.restore_selected,
            lambda n: ngettext(
                "%(count)s signature restored.", "%(count)s signatures restored.", n
            ),
        )
    )

    @admin.display(description=_("listed name"))
    def listed_name(self, obj: Signature) -> str:
        return obj.public_name if obj.listed else "—"

    @admin.display(description=_("state"))
    def state(self, obj: Signature) -> str:
        if obj.invalidated_at:
            return str(_("invalidated"))
        if obj.confirmed_at:
            return str(_("confirmed"))
        return str(_("unconfirmed"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("letters.moderate_signature")

    def has_invalidate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("letters.invalidate_signature")
