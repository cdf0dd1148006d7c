"""The admin where organisers write deployments and devices, with their capabilities, FOI
requests, evidence and photos.

Every save goes through the services (``services.records``, ``services.evidence``): each
change names its author in the record's history (django-simple-history) and in the audit
log. The history view is simple_history's; its "Revert" is routed through
``services.records.revert``, so a revert is audited too, and it needs the permission to
confirm records (``atlas.confirm_atlas``) as well as to change them.

Verification (grade, agreement, votes) is read-only here: it comes from the reviewers'
votes and from official confirmation (``services/verification.py``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reclaim.atlas.models import Capability, Deployment, Device, Evidence, FoiRequest, Photo
from reclaim.atlas.services import evidence as evidence_service
from reclaim.atlas.services.records import audited_delete, audited_save, revert
from reclaim.lib.images import ACCEPT

REVERT_PERMISSION = "atlas.confirm_atlas"
# What an evidence upload field offers in the file picker.
EVIDENCE_ACCEPT = "application/pdf," + ACCEPT


# --- Inline forms ------------------------------------------------------------------------


class EvidenceForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), max_length=500, required=False, assume_scheme="https")
    upload = forms.FileField(
        label=_("File (PDF or image)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    class Meta:
        model = Evidence
        fields = ["claim", "kind", "title", "url", "read_on", "upload", "foi_request"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _(
            "A PDF of at most %(size)s MB, or an image (stored again without its metadata). "
            "Or give a link and the day you read it."
        ) % {"size": round(evidence_service.max_bytes() / (1024 * 1024), 1)}

    def clean_upload(self) -> evidence_service.StoredFile | None:
        uploaded = self.cleaned_data.get("upload")
        if not uploaded:
            return None
        # Checked here, so that a refused file shows next to the field and nothing is saved.
        return evidence_service.process_upload(uploaded)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("DELETE"):
            return cleaned
        url = cleaned.get("url") or ""
        if url:
            try:
                evidence_service.check_link(url, cleaned.get("read_on"))
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    if field not in self.errors:
                        self.add_error(field, errors)
        elif not cleaned.get("upload") and not self.instance.file_version:
            if "url" not in self.errors:
                raise ValidationError(evidence_service.LINK_OR_FILE)
        return cleaned


class DeviceEvidenceForm(EvidenceForm):
    class Meta(EvidenceForm.Meta):
        # A device's evidence answers no FOI request of its own (those are a deployment's).
        fields = ["claim", "kind", "title", "url", "read_on", "upload"]


class PhotoForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Stored again without its metadata (camera, place, date)."),
    )

    class Meta:
        model = Photo
        fields = ["upload", "alt"]

    def clean_upload(self) -> Any:
        uploaded = self.cleaned_data.get("upload")
        if not uploaded:
            if self.instance.pk is None:
                raise ValidationError(_("Choose a photo to upload."))
            return None
        return evidence_service.process_photo(uploaded)


# --- Inlines -----------------------------------------------------------------------------


class CapabilityInline(admin.TabularInline):
    model = Capability
    extra = 0


class FoiRequestInline(admin.StackedInline):
    model = FoiRequest
    extra = 0


class EvidenceInline(admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    extra = 0
    readonly_fields = ["stored_file"]

    @admin.display(description=_("file kept"))
    def stored_file(self, obj: Evidence) -> str:
        if not obj.pk or not obj.file_version:
            return "–"
        return format_html(
            '<a href="{}">{}</a> ({})',
            evidence_service.evidence_file_url(obj),
            obj.file_name,
            obj.file_type,
        )


class DeploymentEvidenceInline(EvidenceInline):
    fk_name = "deployment"

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        # Only this deployment's FOI requests can be what a document answers.
        field = formset.form.base_fields.get("foi_request")
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = (
                FoiRequest.objects.filter(deployment=obj) if obj else FoiRequest.objects.none()
            )
        return formset


class DeviceEvidenceInline(EvidenceInline):
    fk_name = "device"
    form = DeviceEvidenceForm
    exclude = ["foi_request"]


class PhotoInline(admin.TabularInline):
    model = Photo
    form = PhotoForm
    fk_name = "device"
    extra = 0
    readonly_fields = ["shown"]
    fields = ["shown", "upload", "alt"]

    @admin.display(description=_("photo"))
    def shown(self, obj: Photo) -> str:
        if not obj.pk:
            return "–"
        return format_html(
            '<img src="{}" alt="{}" width="160">',
            reverse("atlas:photo", args=[obj.pk, obj.version]),
            obj.alt,
        )


# --- Shared behaviour of the two record admins -------------------------------------------


def _save_inline(obj: Any, form: Any, user: Any) -> None:
    if isinstance(obj, Evidence):
        evidence_service.save_evidence(obj, user, form.cleaned_data.get("upload"))
    elif isinstance(obj, Photo):
        evidence_service.store_photo(obj, user, form.cleaned_data.get("upload"))
    elif isinstance(obj, Capability):
        audited_save(
            obj,
            user,
            "atlas.capability_change",
            deployment=obj.deployment_id,
            capability=obj.kind,
            confidence=obj.confidence,
        )
    elif isinstance(obj, FoiRequest):
        audited_save(
            obj,
            user,
            "atlas.foi_change",
            deployment=obj.deployment_id,
            authority=obj.authority,
            status=obj.status,
        )
    else:  # pragma: no cover - every inline above is listed
        raise TypeError(f"no audited save for {type(obj).__name__}")


def _delete_inline(obj: Any, user: Any) -> None:
    if isinstance(obj, Evidence):
        evidence_service.remove_evidence(obj, user)
    elif isinstance(obj, Photo):
        evidence_service.remove_photo(obj, user)
    elif isinstance(obj, Capability):
        audited_delete(obj, user, "atlas.capability_delete", deployment=obj.deployment_id)
    elif isinstance(obj, FoiRequest):
        audited_delete(obj, user, "atlas.foi_delete", deployment=obj.deployment_id)
    else:  # pragma: no cover
        raise TypeError(f"no audited delete for {type(obj).__name__}")


class RecordAdmin(SimpleHistoryAdmin):
    """Saves, deletes and reverts through the services, each audited."""

    record_name = ""  # "deployment" or "device": the audit actions' prefix

    @admin.display(description=_("reviewers' votes"))
    def votes(self, obj: Any) -> str:
        if not obj.pk:
            return "–"
        return str(_("%(confirmed)s of %(total)s confirmed")) % {
            "confirmed": obj.votes_for,
            "total": obj.votes_total,
        }

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        action = "change" if change else "create"
        audited_save(
            obj,
            request.user,
            f"atlas.{self.record_name}_{action}",
            fields=sorted(form.changed_data),
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        saved = formset.save(commit=False)
        for obj in formset.deleted_objects:
            _delete_inline(obj, request.user)
        forms_of = {id(inline_form.instance): inline_form for inline_form in formset.forms}
        for obj in saved:
            _save_inline(obj, forms_of[id(obj)], request.user)
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audited_delete(obj, request.user, f"atlas.{self.record_name}_delete", name=str(obj))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    # -- Reverts ---------------------------------------------------------------------

    def may_revert(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self.has_change_permission(request, obj):
            return False
        return bool(request.user.has_perm(REVERT_PERMISSION))

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.may_revert(request, obj) or bool(super().revert_disabled(request, obj))

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        # simple_history would save the posted form as a change: a revert goes through the
        # service instead (the version as it was, audited), and only for those who may.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.may_revert(request, obj):
            raise PermissionDenied
        try:
            changed = revert(obj, version_id, request.user)
        except ObjectDoesNotExist as error:
            raise Http404 from error
        self.log_change(request, obj, [{"changed": {"fields": changed}}] if changed else [])
        version = obj.history.get(history_id=int(version_id))
        when = date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
        self.message_user(
            request, _("Reverted to the version of %(date)s.") % {"date": when}, messages.SUCCESS
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )


# --- Deployments and devices -------------------------------------------------------------


@admin.register(Deployment)
class DeploymentAdmin(RecordAdmin):
    record_name = "deployment"
    list_display = ["name", "city", "country", "status", "verification", "published"]
    list_filter = ["published", "verification", "status", "dpia", "country"]
    search_fields = ["name", "slug", "city", "operator", "system", "vendor"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verification", "agreement", "votes"]
    inlines = [CapabilityInline, FoiRequestInline, DeploymentEvidenceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "city", "country", "description", "published"]}),
        (_("Who and what"), {"fields": ["operator", "system", "vendor"]}),
        (_("Status"), {"fields": ["status", "started_on", "ended_on"]}),
        (_("Law"), {"fields": ["legal_basis", "dpia"]}),
        (_("Where to show it without devices"), {"fields": ["latitude", "longitude"]}),
        (_("Verification"), {"fields": ["verification", "agreement", "votes"]}),
    ]

    def view_on_site(self, obj: Deployment) -> str:
        return reverse("atlas:deployment", args=[obj.slug])


@admin.register(Device)
class DeviceAdmin(RecordAdmin):
    record_name = "device"
    list_display = ["__str__", "deployment", "city", "verification", "last_seen", "published"]
    list_filter = ["published", "verification", "watches", "camera_type"]
    list_select_related = ["deployment"]
    search_fields = ["place", "city", "model"]
    autocomplete_fields = ["deployment"]
    # A hundred thousand devices: no full count on every filtered page.
    show_full_result_count = False
    readonly_fields = ["verification", "agreement", "votes", "photo_count"]
    inlines = [DeviceEvidenceInline, PhotoInline]
    fieldsets = [
        (None, {"fields": ["deployment", "published"]}),
        (_("Where"), {"fields": ["latitude", "longitude", "city", "place"]}),
        (
            _("What"),
            {"fields": ["watches", "mount", "camera_type", "direction", "model", "photo_count"]},
        ),
        (_("Seen"), {"fields": ["first_seen", "last_seen", "removed_on"]}),
        (_("Verification"), {"fields": ["verification", "agreement", "votes"]}),
    ]

    @admin.display(description=_("photos"))
    def photo_count(self, obj: Device) -> str:
        if not obj.pk:
            return "–"
        photos = list(obj.photos.defer("content"))
        if not photos:
            return str(_("none"))
        return format_html_join(
            " ",
            '<img src="{}" alt="{}" width="80">',
            ((reverse("atlas:photo", args=[p.pk, p.version]), p.alt) for p in photos),
        )

    def view_on_site(self, obj: Device) -> str:
        return reverse("atlas:device", args=[obj.pk])
