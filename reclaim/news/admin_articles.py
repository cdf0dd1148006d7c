"""The admin of articles, their translations, tags and images. Every save goes through the
services (``services.articles``, ``services.images``): revisions are raised there and each
change is written to the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reclaim.lib.images import ACCEPT
from reclaim.lib.markdown import render as render_markdown
from reclaim.news.models import Article, Image, Tag
from reclaim.news.services import articles as service
from reclaim.news.services import images as image_service


class ArticleForm(forms.ModelForm):
    up_to_date = forms.BooleanField(
        label=_("The translation matches the source's current text"),
        required=False,
        help_text=_(
            "Tick this once the translation says what the source now says: it no longer "
            "shows readers that it may be out of date."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "language",
            "slug",
            "title",
            "summary",
            "body",
            "tags",
            "author",
            "status",
            "published_at",
            "comments",
            "source",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status == Article.Status.SCHEDULED and not cleaned.get("published_at"):
            self.add_error("published_at", _("A scheduled article needs its publication date."))
        source = cleaned.get("source")
        language = cleaned.get("language")
        if source is not None:
            if self.instance.pk and source.pk == self.instance.pk:
                self.add_error("source", _("An article cannot be a translation of itself."))
            elif source.source_id is not None:
                self.add_error(
                    "source", _("Translate the source article, not one of its translations.")
                )
            elif source.language == language:
                self.add_error(
                    "language", _("A translation needs a language other than its source's.")
                )
            elif self.instance.pk and self.instance.translations.exists():
                self.add_error(
                    "source", _("This article has translations of its own: it stays a source.")
                )
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "language", "status", "published_at", "source", "lagging", "revision"]
    list_filter = ["language", "status", "tags"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "source"]
    filter_horizontal = ["tags"]
    readonly_fields = ["revision", "translation_state", "versions", "preview"]
    actions = ["publish_articles", "unpublish_articles"]
    fieldsets = [
        (None, {"fields": ["language", "slug", "title", "summary", "body", "preview"]}),
        (_("Publication"), {"fields": ["status", "published_at", "comments", "revision"]}),
        (_("Tags and author"), {"fields": ["tags", "author"]}),
        (
            _("Translation"),
            {"fields": ["source", "translation_state", "up_to_date", "versions"]},
        ),
    ]

    @admin.display(boolean=True, description=_("out of date"))
    def lagging(self, obj: Article) -> bool | None:
        return obj.lags if obj.source_id else None

    @admin.display(description=_("translation state"))
    def translation_state(self, obj: Article) -> str:
        if not obj.pk or not obj.source_id or obj.source is None:
            return str(_("This is a source article."))
        if obj.lags:
            return str(
                _(
                    "Made from revision %(made)s of the source, which is now at revision "
                    "%(current)s: readers are told it may be out of date."
                )
                % {"made": obj.source_revision or 0, "current": obj.source.revision}
            )
        return str(_("Up to date with revision %(current)s of the source.")) % {
            "current": obj.source.revision
        }

    @admin.display(description=_("other versions"))
    def versions(self, obj: Article) -> str:
        if not obj.pk:
            return "–"
        others = [v for v in service.versions(obj) if v.pk != obj.pk]
        if not others:
            return str(_("none"))
        return format_html_join(
            ", ",
            '<a href="{}">{} ({})</a>',
            (
                (reverse("admin:news_article_change", args=[v.pk]), v.title, v.language)
                for v in others
            ),
        )

    @admin.display(description=_("preview of the text"))
    def preview(self, obj: Article) -> str:
        if not obj.pk:
            return str(_("Saved articles show their text here as readers will see it."))
        # Sanitised by nh3 (reclaim.lib.markdown): exactly the HTML the public page shows.
        return format_html(
            '<div class="news-preview" lang="{}">{}</div>',
            obj.language,
            mark_safe(render_markdown(obj.body)),  # noqa: S308
        )

    def view_on_site(self, obj: Article) -> str:
        with translation.override(obj.language):
            return reverse("news:article", kwargs={"slug": obj.slug})

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("language", settings.LANGUAGE_CODE)
        return initial

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        service.save_article(
            obj,
            request.user,
            tags=form.cleaned_data.get("tags"),
            up_to_date=bool(form.cleaned_data.get("up_to_date")),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The tags were set by the service in save_model; only inlines (none) are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        service.delete_article(obj, request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            service.delete_article(article, request.user)

    @admin.action(description=_("Publish the chosen articles now"), permissions=["change"])
    def publish_articles(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            service.publish(article, request.user)
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", len(queryset))
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the chosen articles"), permissions=["change"])
    def unpublish_articles(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            service.unpublish(article, request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d article unpublished.", "%(count)d articles unpublished.", len(queryset)
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["slug", "__str__"]
    search_fields = ["slug"]

    def save_model(self, request: HttpRequest, obj: Tag, form: Any, change: bool) -> None:
        service.save_tag(obj, request.user)


class ImageForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Image file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    class Meta:
        model = Image
        fields = ["file", "alt"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = self.instance.pk is None
        self.fields["file"].help_text = _(
            "PNG, JPEG, GIF or WebP, at most %(size)s MB. It is shrunk to at most %(side)s "
            "pixels a side and stored again without its metadata (camera, place, date); SVG "
            "is not accepted."
        ) % {
            "size": round(image_service.max_bytes() / (1024 * 1024), 1),
            "side": image_service.DEFAULT_MAX_SIDE,
        }

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            return None
        # Checked here, so that a bad file shows next to the field and nothing is saved.
        return image_service.process_image(uploaded)

    def clean_alt(self) -> str:
        alt = str(self.cleaned_data.get("alt") or "").strip()
        if not alt:
            raise ValidationError(_("Say what the image shows, for people who cannot see it."))
        return alt


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt", "size", "created_at"]
    search_fields = ["alt"]
    readonly_fields = ["shown", "snippet", "size"]
    fields = ["file", "alt", "shown", "snippet", "size"]

    @admin.display(description=_("image"))
    def thumbnail(self, obj: Image) -> str:
        return format_html(
            '<img src="{}" alt="" width="80">',
            image_service.image_url(obj),
        )

    @admin.display(description=_("as stored"))
    def shown(self, obj: Image) -> str:
        if not obj.pk:
            return "–"
        return format_html(
            '<img src="{}" alt="{}" width="{}">',
            image_service.image_url(obj),
            obj.alt,
            min(obj.width, 480),
        )

    @admin.display(description=_("Markdown to paste into an article"))
    def snippet(self, obj: Image) -> str:
        if not obj.pk:
            return "–"
        return format_html("<code>{}</code>", image_service.markdown_snippet(obj))

    @admin.display(description=_("size"))
    def size(self, obj: Image) -> str:
        if not obj.pk:
            return "–"
        return f"{obj.width} × {obj.height} px, {obj.content_type}"

    def save_model(self, request: HttpRequest, obj: Image, form: Any, change: bool) -> None:
        processed = form.cleaned_data.get("file")
        alt = form.cleaned_data["alt"]
        if processed is not None:
            image_service.store_image(processed, alt, request.user, image=obj)
        else:
            image_service.change_alt(obj, alt, request.user)

    def delete_model(self, request: HttpRequest, obj: Image) -> None:
        image_service.delete_image(obj, request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Image]) -> None:
        for image in queryset:
            image_service.delete_image(image, request.user)
