"""The admin of members' widgets: organisers see each widget's snippet and count, restrict
the sites that may embed it, fix its language, and retire it. Widgets are made by
``ensure_widgets`` (on acceptance, and by the job for new campaigns), never by hand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reclaim.coalition.models import Widget
from reclaim.coalition.services import widgets as service


class WidgetForm(forms.ModelForm):
    class Meta:
        model = Widget
        fields = ["language", "allowed_hosts"]

    def clean_allowed_hosts(self) -> str:
        # Checked here so that a bad line is shown next to the field; saved by the service.
        return "\n".join(service.parse_hosts(self.cleaned_data["allowed_hosts"]))


@admin.register(Widget)
class WidgetAdmin(admin.ModelAdmin):
    form = WidgetForm
    list_display = ["__str__", "campaign", "language", "hosts", "signatures", "retired_at"]
    list_filter = ["target", "language", ("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["organisation__name", "key"]
    list_select_related = ["organisation", "petition", "initiative"]
    fields = [
        "organisation",
        "target",
        "campaign",
        "language",
        "allowed_hosts",
        "signatures",
        "snippet",
        "created_at",
        "retired_at",
    ]
    readonly_fields = [
        "organisation",
        "target",
        "campaign",
        "signatures",
        "snippet",
        "created_at",
        "retired_at",
    ]
    actions = ["retire"]

    @admin.display(description=_("campaign"))
    def campaign(self, obj: Widget) -> str:
        return str(obj.petition or obj.initiative or "")

    @admin.display(description=_("sites allowed to embed it"))
    def hosts(self, obj: Widget) -> str:
        return ", ".join(obj.allowed_hosts.split()) or str(_("any site"))

    @admin.display(description=_("confirmed signatures through it"))
    def signatures(self, obj: Widget) -> int:
        return service.signature_counts([obj])[obj.key]

    @admin.display(description=_("code to paste"))
    def snippet(self, obj: Widget) -> str:
        if obj.pk is None:
            return ""
        # The site's own address: the admin is served from it (a ModelAdmin has no request
        # here, and is shared between requests).
        return format_html("<pre>{}</pre>", service.snippet_for(obj, settings.BASE_URL))

    def save_model(self, request: HttpRequest, obj: Widget, form: Any, change: bool) -> None:
        # Through the services, so that each change is audited; the form checked the input.
        saved = Widget.objects.get(pk=obj.pk)
        if "allowed_hosts" in form.changed_data:
            service.set_allowed_hosts(saved, obj.allowed_hosts, request.user)
        if "language" in form.changed_data:
            service.set_widget_language(saved, obj.language, request.user)

    @admin.action(description=_("Retire the selected widgets"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[Widget]) -> None:
        count = sum(service.retire_widget(widget, request.user) for widget in queryset)
        self.message_user(
            request,
            ngettext("%(count)d widget retired.", "%(count)d widgets retired.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Signatures keep the key: a retired widget stays, with its count.
        return False
