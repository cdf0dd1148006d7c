"""Who may review the atlas. Each condition on its own line (in ``get_staff_with``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from reclaim.accounts.access import get_staff_with
from reclaim.atlas.models import Deployment, Device, Report
from reclaim.atlas.services.verification import CONFIRM_PERMISSION, REVIEW_PERMISSION

RECORD_MODELS: dict[str, type[Deployment] | type[Device]] = {
    "device": Device,
    "deployment": Deployment,
}


def get_reviewer(user: Any) -> Any:
    """The user, if a signed-in staff member who may review reports and vote (reviewers
    and organisers)."""
    return get_staff_with(user, REVIEW_PERMISSION)


def get_confirmer(user: Any) -> Any:
    """The user, if a signed-in staff member who may confirm records from an official
    source and withdraw them (organisers)."""
    return get_staff_with(user, CONFIRM_PERMISSION)


def may_confirm(user: Any) -> bool:
    return bool(user.is_staff and user.is_active and user.has_perm(CONFIRM_PERMISSION))


def get_report_for_review(pk: int) -> Report:
    report = Report.objects.filter(pk=pk).select_related("device", "deployment").first()
    if report is None:
        raise Http404
    return report


def get_record_for_review(kind: str, pk: int) -> Deployment | Device:
    """Any deployment or device, published or not (a withdrawn one can be published
    again from its review page)."""
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise Http404
    record = model.objects.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record
