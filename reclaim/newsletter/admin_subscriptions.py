"""The admin of mailing lists: name, description, language, consent text and expiry, with
counts of subscribers. No subscription or address is ever shown here: subscribers are
reached only through the issues the organisers send."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reclaim.newsletter.models import MailingList


@admin.register(MailingList)
class MailingListAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "is_active", "confirmed", "pending"]
    list_filter = ["language", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "language",
        "description",
        "consent_text",
        "inactive_days",
        "reminder_days",
        "is_active",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MailingList]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count(
                    "subscriptions", filter=Q(subscriptions__confirmed_at__isnull=False)
                ),
                pending_count=Count(
                    "subscriptions", filter=Q(subscriptions__confirmed_at__isnull=True)
                ),
            )
        )

    @admin.display(description=_("confirmed subscribers"), ordering="confirmed_count")
    def confirmed(self, mailing_list: MailingList) -> int:
        return int(getattr(mailing_list, "confirmed_count", 0))

    @admin.display(description=_("waiting for confirmation"), ordering="pending_count")
    def pending(self, mailing_list: MailingList) -> int:
        return int(getattr(mailing_list, "pending_count", 0))

    def has_delete_permission(self, request: HttpRequest, obj: MailingList | None = None) -> bool:
        # Deleting a list would delete its subscribers and their suppressions with it: an
        # import could then re-add people who unsubscribed. Close it (is_active) instead.
        return False
