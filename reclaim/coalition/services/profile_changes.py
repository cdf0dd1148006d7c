"""A partner's edits of their organisation's profile, which wait for an organiser.

A partner never changes the organisation: they propose values (``ProfileChange``), which an
organiser compares with the current profile and approves (the values are applied, in one
transaction) or rejects with a reason. Either way the organisation's partner accounts get a
mail in their language. One change waits per organisation: a later edit replaces it, so
organisers decide on what the partner wants now, not on a queue of drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.audit.services import record
from reclaim.coalition.models import Description, Organisation, ProfileChange
from reclaim.coalition.services.directory import logo_version
from reclaim.coalition.services.partners import partner_recipients
from reclaim.core.hooks import Text
from reclaim.mail.services import queue_mail

DECIDED_MAIL = "coalition.profile_change_decided"
# The organisation's fields a partner may propose values for (descriptions and the logo
# besides).
FIELDS = ("name", "website", "country", "kind")
MAX_REASON = 1000


class NothingChanged(ValueError):
    """The proposal equals the current profile and brings no logo."""


class AlreadyDecided(ValueError):
    """The change was approved or rejected already (by a colleague, in another tab)."""


def current_values(organisation: Organisation) -> dict[str, Any]:
    """The profile as a partner edits it: the fields, and the descriptions by language."""
    values: dict[str, Any] = {name: str(getattr(organisation, name) or "") for name in FIELDS}
    values["descriptions"] = {
        description.language: description.text for description in organisation.descriptions.all()
    }
    return values


def _differs(current: dict[str, Any], proposed: dict[str, Any]) -> bool:
    if any(current.get(name, "") != proposed.get(name, "") for name in FIELDS):
        return True
    languages = set(current["descriptions"]) | set(proposed.get("descriptions", {}))
    return any(
        current["descriptions"].get(lang, "") != proposed.get("descriptions", {}).get(lang, "")
        for lang in languages
    )


def propose_change(
    organisation: Organisation,
    user: Any,
    values: dict[str, Any],
    logo: tuple[bytes, str] | None = None,
) -> ProfileChange:
    """Record the partner's proposal (``values`` as ``current_values`` gives them; ``logo``
    already re-encoded by ``services.logos.process_logo``). Replaces a change still
    waiting. Raises ``NothingChanged`` when it would change nothing."""
    proposed: dict[str, Any] = {name: str(values.get(name, "") or "") for name in FIELDS}
    proposed["descriptions"] = {
        lang: text
        for lang, text in (values.get("descriptions") or {}).items()
        if lang in dict(settings.LANGUAGES) and text
    }
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if logo is None and not _differs(current_values(locked), proposed):
            raise NothingChanged
        change = (
            ProfileChange.objects.select_for_update()
            .filter(organisation=locked, state=ProfileChange.State.PENDING)
            .first()
        ) or ProfileChange(organisation=locked)
        replaced = change.pk is not None
        change.proposed = proposed
        if logo is not None:
            change.logo, change.logo_type = logo
        elif not replaced:
            change.logo, change.logo_type = None, ""
        change.submitted_by = user
        change.submitted_at = timezone.now()
        change.save()
        record(
            user,
            "coalition.profile_change_submit",
            target=f"organisation {locked.slug}",
            count=1,
            change=change.pk,
            replaced=replaced,
            logo=change.logo is not None,
        )
    return change


def pending_changes() -> Any:
    return ProfileChange.objects.filter(state=ProfileChange.State.PENDING).select_related(
        "organisation"
    )


@dataclass(frozen=True)
class DiffRow:
    label: Text
    current: str
    proposed: str


def _shown(name: str, value: str) -> str:
    if name == "country":
        return str(countries.name(value)) if value else str(_("International"))
    if name == "kind":
        return str(dict(Organisation.Kind.choices).get(value, value))
    return value


def _label(name: str) -> Text:
    return Organisation._meta.get_field(name).verbose_name  # type: ignore[union-attr]


def diff(change: ProfileChange) -> list[DiffRow]:
    """What the change would change, field by field: only the fields that differ."""
    organisation = change.organisation
    current = current_values(organisation)
    rows = []
    for name in FIELDS:
        before, after = current.get(name, ""), change.proposed.get(name, "")
        if before != after:
            label = _label(name)
            rows.append(DiffRow(label, _shown(name, before), _shown(name, after)))
    proposed = change.proposed.get("descriptions", {})
    for lang, language_name in settings.LANGUAGES:
        before, after = current["descriptions"].get(lang, ""), proposed.get(lang, "")
        if before != after:
            label = _("Description (%(language)s)") % {"language": language_name}
            rows.append(DiffRow(label, before, after))
    return rows


def proposed_rows(change: ProfileChange) -> list[tuple[Text, str]]:
    """The change as the partner proposed it: every field, whether it differs or not (once
    decided, the profile has moved on and a diff would say nothing)."""
    rows: list[tuple[Text, str]] = []
    for name in FIELDS:
        label = _label(name)
        rows.append((label, _shown(name, change.proposed.get(name, ""))))
    proposed = change.proposed.get("descriptions", {})
    for lang, language_name in settings.LANGUAGES:
        label = _("Description (%(language)s)") % {"language": language_name}
        rows.append((label, proposed.get(lang, "")))
    return rows


def _decided(change: ProfileChange, actor: Any, state: str) -> ProfileChange:
    """Lock the change, refuse one decided already, and mark it decided."""
    locked = ProfileChange.objects.select_for_update().get(pk=change.pk)
    if locked.state != ProfileChange.State.PENDING:
        raise AlreadyDecided
    locked.state = state
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    return locked


def _tell_partners(change: ProfileChange) -> None:
    for address, language in partner_recipients(change.organisation):
        queue_mail(DECIDED_MAIL, address, language, object_id=change.pk)


def approve_change(change: ProfileChange, actor: Any) -> ProfileChange:
    """Apply the proposed values to the organisation, mark the change approved, and tell
    the partner's staff. Raises ``AlreadyDecided``."""
    with transaction.atomic():
        locked = _decided(change, actor, ProfileChange.State.APPROVED)
        organisation = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
        for name in FIELDS:
            if name in locked.proposed:
                setattr(organisation, name, locked.proposed[name])
        fields = [*FIELDS, "updated_at"]
        if locked.logo is not None:
            content = bytes(locked.logo)
            organisation.logo = content
            organisation.logo_type = locked.logo_type
            organisation.logo_version = logo_version(content)
            fields += ["logo", "logo_type", "logo_version"]
        organisation.save(update_fields=fields)
        proposed = locked.proposed.get("descriptions", {})
        for lang, _name in settings.LANGUAGES:
            text = proposed.get(lang, "")
            if text:
                Description.objects.update_or_create(
                    organisation=organisation, language=lang, defaults={"text": text}
                )
            else:
                Description.objects.filter(organisation=organisation, language=lang).delete()
        # The logo now lives on the organisation: no second copy in the change.
        locked.logo = None
        locked.save()
        record(
            actor,
            "coalition.profile_change_approve",
            target=f"organisation {organisation.slug}",
            count=1,
            change=locked.pk,
        )
        _tell_partners(locked)
    return locked


def reject_change(change: ProfileChange, actor: Any, reason: str) -> ProfileChange:
    """Refuse the change with a reason the partner's staff get by mail. Raises
    ``AlreadyDecided``, or ``ValueError`` for a missing or overlong reason."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValueError("A reason of 1 to 1000 characters is needed.")
    with transaction.atomic():
        locked = _decided(change, actor, ProfileChange.State.REJECTED)
        locked.reason = reason
        # A refused logo is not kept.
        locked.logo = None
        locked.save()
        record(
            actor,
            "coalition.profile_change_reject",
            target=f"organisation {locked.organisation.slug}",
            count=1,
            change=locked.pk,
        )
        _tell_partners(locked)
    return locked
