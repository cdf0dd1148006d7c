"""The admin of organisations: organisers add and edit them, with their descriptions and
logo, and approve their profiles for the directory (through the directory's services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reclaim.coalition.models import Description, Organisation
from reclaim.coalition.services import directory
from reclaim.coalition.services.logos import max_bytes, process_logo
from reclaim.coalition.urls_directory import RESERVED_SLUGS


class DescriptionFormSet(BaseInlineFormSet):
    """One description per language, said as an error: the inline's own checks leave out
    the organisation (the foreign key), so a second German text would reach the database's
    constraint and fail there."""

    def clean(self) -> None:
        super().clean()
        languages: set[str] = set()
        editing: set[int] = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue
            if form.instance.pk:
                editing.add(form.instance.pk)
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            language = str(form.cleaned_data.get("language") or "")
            if language in languages:
                raise ValidationError(_("Give one description per language."))
            languages.add(language)
        if self.instance.pk:
            taken = Description.objects.filter(organisation=self.instance).exclude(pk__in=editing)
            if taken.filter(language__in=languages).exists():
                raise ValidationError(
                    _("This organisation has a description in that language already.")
                )


class DescriptionInline(admin.StackedInline):
    model = Description
    formset = DescriptionFormSet
    extra = 1
    max_num = 8


class OrganisationForm(forms.ModelForm):
    # A website typed without a scheme is taken as https://, as Django 6 will.
    website = forms.URLField(
        label=_("website"), max_length=300, required=False, assume_scheme="https"
    )
    new_logo = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=_(
            "PNG, JPEG, GIF or WebP. It is shrunk and stored again without its metadata; "
            "SVG is not accepted."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "slug",
            "country",
            "tier",
            "kind",
            "website",
            "status",
            "joined_on",
            "petitions",
            "initiatives",
        ]

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"])
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This address is used by another page of the site."))
        return slug

    def clean_new_logo(self) -> tuple[bytes, str] | None:
        uploaded = self.cleaned_data.get("new_logo")
        if not uploaded:
            return None
        # Checked here, so that a bad file shows next to the field and nothing is saved.
        return process_logo(uploaded)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["name", "tier", "kind", "country", "status", "listed", "joined_on"]
    list_filter = ["tier", "status", "country", "kind"]
    search_fields = ["name", "slug", "website"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["profile_approved_at", "logo_preview"]
    filter_horizontal = ["petitions", "initiatives"]
    inlines = [DescriptionInline]
    actions = ["approve_profiles"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "country", "tier", "kind", "website"]}),
        (_("Membership"), {"fields": ["status", "joined_on", "profile_approved_at"]}),
        (_("Logo"), {"fields": ["logo_preview", "new_logo", "remove_logo"]}),
        (_("Campaigns"), {"fields": ["petitions", "initiatives"]}),
    ]

    @admin.display(boolean=True, description=_("listed"))
    def listed(self, obj: Organisation) -> bool:
        return obj.is_listed

    @admin.display(description=_("current logo"))
    def logo_preview(self, obj: Organisation) -> str:
        if not obj.pk or not obj.logo_version:
            return str(_("none"))
        url = reverse("coalition:logo", args=[obj.slug, obj.logo_version])
        return format_html('<img src="{}" alt="" width="120">', url)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["new_logo"].help_text = _(
            "PNG, JPEG, GIF or WebP, at most %(size)s MB. It is shrunk and stored again "
            "without its metadata; SVG is not accepted."
        ) % {"size": round(max_bytes() / (1024 * 1024), 1)}
        return form

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        logo = form.cleaned_data.get("new_logo")
        if logo:
            directory.store_logo(obj, logo[0], logo[1], request.user)
        elif form.cleaned_data.get("remove_logo") and obj.logo_version:
            directory.remove_logo(obj, request.user)

    @admin.action(
        description=_("Approve the profiles (list the members in the directory)"),
        permissions=["change"],
    )
    def approve_profiles(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        approved = sum(directory.approve_profile(org, request.user) for org in queryset)
        self.message_user(
            request,
            ngettext("%(count)d profile approved.", "%(count)d profiles approved.", approved)
            % {"count": approved},
            messages.SUCCESS,
        )
