"""Writing deployments, devices and what hangs off them, each change audited.

Every save of a record by a person goes through ``audited_save``: it names the person to
django-simple-history (so the record's history says who changed what) and writes an audit
entry in the same transaction. ``revert`` restores a deployment or device as one of its
historical versions was, through the same path, so a revert is itself in the history and
the audit log and can be reverted in turn.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction

from reclaim.audit.services import record

# What a revert leaves alone: the reviewers' verdict (recounted from their votes, or an
# official confirmation with its evidence), whether the record is public (published by a
# review, withdrawn with a note: services/verification.py) and when it was made. A revert
# puts back what a record *says*, not how it was judged.
NOT_REVERTED = frozenset(
    {"id", "verification", "agreement", "votes_for", "votes_total", "published", "created_at"}
)


def target_of(instance: models.Model) -> str:
    """How an audit entry names a row: ``deployment 12``, ``device 3401``."""
    return f"{instance._meta.model_name} {instance.pk}"


def audited_save(instance: models.Model, user: Any, kind: str, **details: Any) -> models.Model:
    """Save ``instance`` as ``user`` did it, and write an audit entry of ``kind`` (an
    action declared in ``audit.py``, such as ``atlas.device_change``) with ``details``.

    The user is handed to django-simple-history on the instance, so the historical row
    names them; models without history ignore the attribute."""
    with transaction.atomic():
        instance._history_user = user  # type: ignore[attr-defined]
        instance.save()
        record(user, kind, target=target_of(instance), **details)
    return instance


def audited_delete(instance: models.Model, user: Any, kind: str, **details: Any) -> None:
    """Delete ``instance`` (its history keeps a "deleted" version naming ``user``)."""
    with transaction.atomic():
        target = target_of(instance)
        instance._history_user = user  # type: ignore[attr-defined]
        instance.delete()
        record(user, kind, target=target, **details)


def reverted_fields(instance: models.Model, version: Any) -> list[models.Field[Any, Any]]:
    """The fields a revert to ``version`` (a historical row) puts back: those the history
    keeps, less ``NOT_REVERTED``."""
    kept = {field.attname for field in type(version)._meta.concrete_fields}
    return [
        field
        for field in instance._meta.concrete_fields
        if field.attname in kept and field.name not in NOT_REVERTED
    ]


def revert(instance: models.Model, history_id: int | str, user: Any) -> list[str]:
    """Put ``instance`` (a deployment or a device) back as its historical version
    ``history_id`` was, and return the names of the fields that changed.

    Raises ``ObjectDoesNotExist`` when ``history_id`` is not a version of this record.
    The revert is saved as a new version (naming ``user``) and audited as
    ``atlas.record_revert``, with the version it went back to."""
    history = instance.history  # type: ignore[attr-defined]
    try:
        version = history.get(history_id=int(history_id))
    except (ValueError, TypeError) as error:
        raise ObjectDoesNotExist(f"no version {history_id!r}") from error
    old = version.instance
    changed = []
    with transaction.atomic():
        for field in reverted_fields(instance, version):
            value = getattr(old, field.attname)
            if getattr(instance, field.attname) != value:
                setattr(instance, field.attname, value)
                changed.append(field.name)
        audited_save(
            instance,
            user,
            "atlas.record_revert",
            version=version.history_id,
            version_date=version.history_date.isoformat(),
            fields=changed,
        )
    return changed
