"""Members' embeddable widgets: made on acceptance and for each new campaign, configured and
retired by organisers, counted per widget and nothing more.

A widget's key is in its URL path, and a signature made through it keeps the key
(``letters.Signature.widget_key``). That is the whole of the attribution: no referrer, cookie
or fingerprint is read or stored, and partners see only how many confirmed signatures came
through each of their widgets.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from reclaim.audit.services import record
from reclaim.coalition.models import Organisation, Widget
from reclaim.eci.models import Initiative
from reclaim.letters.models import Petition, Signature

# 12 random bytes: 16 URL-safe characters (the column holds 24), 96 bits that nobody
# guesses, so a widget's counts cannot be inflated through another member's key by chance.
KEY_BYTES = 12
# A widget lists its host sites in one response header: the bound keeps the header small.
MAX_HOSTS = 20
# The iframe's height before the optional resize script has measured the page: enough for
# the signing form on a phone, or the dashboard's summary and map.
INITIAL_HEIGHT: dict[str, int] = {Widget.Target.PETITION: 900, Widget.Target.ECI: 1100}
# The resize script by its plain name, not the hashed one of the static manifest: partners
# paste the address once, and a hashed name would vanish with the next release.
RESIZE_SCRIPT = "coalition/widget-resize.js"

# A host name as frame-ancestors accepts it (after IDNA): labels of letters, digits and
# hyphens. Nothing else may reach the header: no space, quote, comma or semicolon.
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
# Initiatives whose dashboard is worth embedding: before and during collection.
_EMBEDDED_INITIATIVES = (Initiative.Status.REGISTERED, Initiative.Status.COLLECTING)


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def open_petitions() -> QuerySet[Petition]:
    """Petitions and letters open for signing, or open and about to start."""
    return Petition.objects.filter(status=Petition.Status.OPEN, closes_at__gt=timezone.now())


def embeddable_initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.filter(status__in=_EMBEDDED_INITIATIVES)


def ensure_widgets(organisation: Organisation, actor: Any = None) -> list[Widget]:
    """Give a member one widget per open petition and per embeddable initiative it has no
    widget for yet; return the new ones. Idempotent: a retired widget counts as one the
    member has, so retiring is never undone by the next run."""
    with transaction.atomic():
        # The lock makes two runs at once (acceptance and the job, or two schedulers) wait
        # for each other instead of both adding the same widget.
        member = Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if member is None or member.status != Organisation.Status.MEMBER:
            return []
        existing = Widget.objects.filter(organisation=member)
        have_petitions = set(existing.values_list("petition_id", flat=True))
        have_initiatives = set(existing.values_list("initiative_id", flat=True))
        new = [
            Widget(
                organisation=member,
                key=new_key(),
                target=Widget.Target.PETITION,
                petition=petition,
            )
            for petition in open_petitions().exclude(pk__in=have_petitions - {None})
        ] + [
            Widget(
                organisation=member,
                key=new_key(),
                target=Widget.Target.ECI,
                initiative=initiative,
            )
            for initiative in embeddable_initiatives().exclude(pk__in=have_initiatives - {None})
        ]
        if new:
            Widget.objects.bulk_create(new)
            record(actor, "coalition.widget_create", target=member.name, count=len(new))
    return new


def top_up_widgets() -> int:
    """The scheduler's job: widgets for campaigns opened since members joined."""
    created = 0
    for organisation in Organisation.objects.filter(status=Organisation.Status.MEMBER):
        created += len(ensure_widgets(organisation))
    return created


def retire_widget(widget: Widget, actor: Any) -> bool:
    """Stop a widget: its page says it is no longer available. The signatures made through
    it keep its key, so its count stays. False if it was retired already."""
    with transaction.atomic():
        changed = Widget.objects.filter(pk=widget.pk, retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        if changed:
            record(actor, "coalition.widget_retire", target=str(widget), widget=widget.key)
    widget.refresh_from_db(fields=["retired_at"])
    return bool(changed)


def _origin(line: str) -> str:
    """``line`` as an origin (``https://example.org[:port]``), or a ValidationError."""
    invalid = ValidationError(
        _("“%(value)s” is not a site’s address. Write it as https://example.org, without a path."),
        code="invalid",
        params={"value": line},
    )
    if "*" in line:
        raise ValidationError(
            _("“%(value)s”: wildcards are not accepted. List each site on its own line."),
            code="wildcard",
            params={"value": line},
        )
    try:
        parts = urlsplit(line)
        port = parts.port
    except ValueError:
        raise invalid from None
    host = parts.hostname or ""
    if (
        parts.scheme.lower() not in ("https", "http")
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
        or parts.password is not None
        or not host
    ):
        raise invalid
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise invalid from None
    if not _HOST.fullmatch(host):
        raise invalid
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None else "")


def parse_hosts(hosts: str | Iterable[str]) -> list[str]:
    """The sites allowed to embed a widget as origins, one a line, each checked; in order,
    without repeats. Raises a ValidationError that lists every bad line."""
    lines = hosts.splitlines() if isinstance(hosts, str) else list(hosts)
    origins: list[str] = []
    errors: list[ValidationError] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        try:
            origin = _origin(line)
        except ValidationError as error:
            errors.append(error)
            continue
        if origin not in origins:
            origins.append(origin)
    if errors:
        raise ValidationError(errors)
    if len(origins) > MAX_HOSTS:
        raise ValidationError(
            _("At most %(max)s sites may be listed."), code="too_many", params={"max": MAX_HOSTS}
        )
    return origins


def set_allowed_hosts(widget: Widget, hosts: str | Iterable[str], actor: Any) -> list[str]:
    """Restrict the sites that may embed the widget (none listed: any site). Bad input
    raises a ValidationError and changes nothing."""
    origins = parse_hosts(hosts)
    with transaction.atomic():
        widget.allowed_hosts = "\n".join(origins)
        widget.save(update_fields=["allowed_hosts"])
        record(
            actor, "coalition.widget_hosts", target=str(widget), widget=widget.key, hosts=origins
        )
    return origins


def set_widget_language(widget: Widget, language: str, actor: Any) -> None:
    """Fix the widget's language (blank: each visitor's own)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not offered."), code="language")
    with transaction.atomic():
        widget.language = language
        widget.save(update_fields=["language"])
        record(
            actor,
            "coalition.widget_language",
            target=str(widget),
            widget=widget.key,
            language=language,
        )


def frame_ancestors(widget: Widget | None) -> list[str]:
    """The sites that may frame the widget's page: those listed, or any site."""
    origins = widget.allowed_hosts.split() if widget is not None else []
    return origins or ["*"]


def signature_counts(widgets: Iterable[Widget]) -> dict[str, int]:
    """Confirmed, valid signatures per widget key: the only figure partners get."""
    keys = [widget.key for widget in widgets]
    counts = {key: 0 for key in keys}
    rows = (
        Signature.objects.counted()
        .filter(widget_key__in=keys)
        .values("widget_key")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["widget_key"]] = row["n"]
    return counts


def widget_path(widget: Widget) -> str:
    """The widget page's path, in the widget's language, or the default language's (which
    the page then leaves for each visitor's own)."""
    with translation.override(widget.language or settings.LANGUAGE_CODE):
        return reverse("coalition:widget", args=[widget.key])


def snippet(widget: Widget, request: HttpRequest) -> str:
    """What a partner pastes: one <iframe> and, on a line of its own, the optional script
    that resizes it to its content. The iframe sends no referrer, so we never learn which
    page of the partner's site it is on."""
    return snippet_for(widget, request.build_absolute_uri("/"))


def snippet_for(widget: Widget, origin: str) -> str:
    """The snippet, with the widget's address on ``origin`` (the site's own)."""
    origin = origin.rstrip("/")
    if widget.target == Widget.Target.PETITION and widget.petition is not None:
        title = widget.petition.title
    elif widget.initiative is not None:
        title = widget.initiative.title
    else:
        title = str(widget)
    # Escaped for a double-quoted attribute only: &, <, > and " (an apostrophe stays as
    # written, so "Act's" does not reach the partner as "Act&#x27;s").
    frame = format_html(
        '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy"'
        ' referrerpolicy="no-referrer"></iframe>',
        origin + widget_path(widget),
        mark_safe(html.escape(title, quote=False).replace('"', "&quot;")),  # noqa: S308
        INITIAL_HEIGHT.get(widget.target, 900),
    )
    # urljoin: STATIC_URL may be a path on this site or an address of its own.
    script = format_html(
        '<script src="{}" async></script>',
        urljoin(origin + "/", settings.STATIC_URL + RESIZE_SCRIPT),
    )
    return f"{frame}\n{script}"
