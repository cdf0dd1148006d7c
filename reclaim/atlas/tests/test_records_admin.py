"""Organisers write deployments and devices in the admin: every save is audited and kept in
the record's history, a revert restores the old value and is audited too, evidence is
uploaded there, and nobody else may write."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reclaim.atlas.models import Capability, Claim, Deployment, Device, Evidence, Photo
from reclaim.atlas.tests.fixtures import *  # noqa: F403
from reclaim.audit.models import AuditEntry

ADMIN = "/en/admin/atlas"
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def deployment_form(deployment: Deployment | None = None, **changes: Any) -> dict[str, Any]:
    """The admin form of a deployment as it stands (or a new one), with ``changes``."""
    data: dict[str, Any] = {
        "name": "Safe City Novi Sad",
        "slug": "safe-city-novi-sad",
        "city": "Novi Sad",
        "country": "RS",
        "description": "",
        "published": "on",
        "operator": "City of Novi Sad",
        "system": "Safe City",
        "vendor": "Huawei",
        "status": "active",
        "started_on": "",
        "ended_on": "",
        "legal_basis": "",
        "dpia": "unknown",
        "latitude": "",
        "longitude": "",
    }
    if deployment is not None:
        for name in data:
            value = getattr(deployment, name)
            if name == "published":
                data[name] = "on" if value else ""
            else:
                data[name] = "" if value is None else str(value)
    data.update(management("capabilities"))
    data.update(management("foi_requests"))
    data.update(management("evidence"))
    data.update(changes)
    return {name: value for name, value in data.items() if value != "" or name != "published"}


def device_form(device: Device, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "deployment": str(device.deployment_id or ""),
        "published": "on" if device.published else "",
        "latitude": str(device.latitude),
        "longitude": str(device.longitude),
        "city": device.city,
        "place": device.place,
        "watches": device.watches,
        "mount": device.mount,
        "camera_type": device.camera_type,
        "direction": "" if device.direction is None else str(device.direction),
        "model": device.model,
        "first_seen": device.first_seen.isoformat(),
        "last_seen": device.last_seen.isoformat(),
        "removed_on": "",
    }
    data.update(management("evidence"))
    data.update(management("photos"))
    data.update(changes)
    if not data["published"]:
        del data["published"]
    return data


def test_an_organiser_enters_a_deployment_with_a_capability_audited_and_in_history(
    as_user, organiser
):
    data = deployment_form()
    data.update(management("capabilities", total=1))
    data.update({"capabilities-0-kind": "face", "capabilities-0-confidence": "confirmed"})
    response = as_user(organiser).post(f"{ADMIN}/deployment/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    deployment = Deployment.objects.get(slug="safe-city-novi-sad")
    assert deployment.capabilities.get().kind == Capability.Kind.FACE
    created = AuditEntry.objects.get(action="atlas.deployment_create")
    assert created.actor == "alice"
    assert created.target == f"deployment {deployment.pk}"
    assert AuditEntry.objects.filter(action="atlas.capability_change", actor="alice").exists()
    assert deployment.history.get().history_user == organiser


def test_an_admin_change_is_audited_kept_in_history_and_can_be_reverted(
    as_user, organiser, belgrade
):
    staff = as_user(organiser)
    first = belgrade.history.latest()
    response = staff.post(
        f"{ADMIN}/deployment/{belgrade.pk}/change/",
        deployment_form(belgrade, operator="City of Belgrade"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    belgrade.refresh_from_db()
    assert belgrade.operator == "City of Belgrade"
    change = AuditEntry.objects.get(action="atlas.deployment_change")
    assert change.actor == "alice"
    assert change.detail["fields"] == ["operator"]
    latest = belgrade.history.latest()
    assert latest.history_user == organiser
    assert latest.operator == "City of Belgrade"

    history = staff.get(f"{ADMIN}/deployment/{belgrade.pk}/history/")
    assert history.status_code == 200
    assert "City of Belgrade" in history.content.decode() or "alice" in history.content.decode()
    assert (
        staff.get(f"{ADMIN}/deployment/{belgrade.pk}/history/{first.history_id}/").status_code
        == 200
    )

    reverted = staff.post(f"{ADMIN}/deployment/{belgrade.pk}/history/{first.history_id}/", {})
    assert reverted.status_code == 302
    belgrade.refresh_from_db()
    assert belgrade.operator == "Ministry of the Interior"
    entry = AuditEntry.objects.get(action="atlas.record_revert")
    assert entry.actor == "alice"
    assert entry.target == f"deployment {belgrade.pk}"
    assert entry.detail["version"] == first.history_id
    assert entry.detail["fields"] == ["operator"]
    assert belgrade.history.latest().history_user == organiser
    assert belgrade.history.count() == 3


def test_a_revert_leaves_the_reviewers_verdict_alone(as_user, organiser, belgrade):
    first = belgrade.history.latest()
    belgrade.verification = "corroborated"
    belgrade.name = "Renamed"
    belgrade.save()
    response = as_user(organiser).post(
        f"{ADMIN}/deployment/{belgrade.pk}/history/{first.history_id}/", {}
    )
    assert response.status_code == 302
    belgrade.refresh_from_db()
    assert belgrade.name == "Safe City Belgrade"
    assert belgrade.verification == "corroborated"


def test_a_revert_to_another_records_version_is_not_found(
    as_user, organiser, belgrade, make_deployment
):
    other = make_deployment()
    version = other.history.latest()
    response = as_user(organiser).post(
        f"{ADMIN}/deployment/{belgrade.pk}/history/{version.history_id}/", {}
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="atlas.record_revert").exists()


def test_a_device_change_and_revert_in_the_admin(as_user, organiser, belgrade, make_device):
    device = make_device(belgrade, model="Unknown dome")
    first = device.history.latest()
    staff = as_user(organiser)
    response = staff.post(
        f"{ADMIN}/device/{device.pk}/change/", device_form(device, model="Hikvision DS-2")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    device.refresh_from_db()
    assert device.model == "Hikvision DS-2"
    assert AuditEntry.objects.filter(action="atlas.device_change", actor="alice").exists()
    staff.post(f"{ADMIN}/device/{device.pk}/history/{first.history_id}/", {})
    device.refresh_from_db()
    assert device.model == "Unknown dome"
    assert AuditEntry.objects.filter(action="atlas.record_revert", target=f"device {device.pk}")


def test_evidence_is_uploaded_as_a_pdf_in_the_admin_and_audited(as_user, organiser, belgrade):
    data = deployment_form(belgrade)
    data.update(management("evidence", total=1))
    data.update(
        {
            "evidence-0-claim": Claim.LEGAL_BASIS,
            "evidence-0-kind": Evidence.Kind.DOCUMENT,
            "evidence-0-title": "The decree",
            "evidence-0-url": "",
            "evidence-0-read_on": "",
            "evidence-0-upload": SimpleUploadedFile("decree.pdf", PDF_BYTES, "application/pdf"),
        }
    )
    response = as_user(organiser).post(f"{ADMIN}/deployment/{belgrade.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    evidence = Evidence.objects.get()
    assert evidence.deployment == belgrade
    assert bytes(evidence.file or b"") == PDF_BYTES
    assert evidence.file_type == "application/pdf"
    entry = AuditEntry.objects.get(action="atlas.evidence_add")
    assert entry.actor == "alice"
    assert entry.detail["record"] == f"deployment {belgrade.pk}"


def test_a_file_that_is_not_a_pdf_is_refused_in_the_admin_and_nothing_changes(
    as_user, organiser, belgrade
):
    data = deployment_form(belgrade, operator="Changed meanwhile")
    data.update(management("evidence", total=1))
    data.update(
        {
            "evidence-0-claim": Claim.EXISTENCE,
            "evidence-0-kind": Evidence.Kind.DOCUMENT,
            "evidence-0-title": "Not really a PDF",
            "evidence-0-upload": SimpleUploadedFile(
                "report.pdf", b"<html><script>alert(1)</script>", "application/pdf"
            ),
        }
    )
    response = as_user(organiser).post(f"{ADMIN}/deployment/{belgrade.pk}/change/", data)
    assert response.status_code == 200
    assert "neither a PDF nor an image" in response.content.decode()
    assert not Evidence.objects.exists()
    belgrade.refresh_from_db()
    assert belgrade.operator == "Ministry of the Interior"
    assert not AuditEntry.objects.filter(action__startswith="atlas.").exists()


def test_a_link_without_its_day_read_is_refused_in_the_admin(as_user, organiser, belgrade):
    data = deployment_form(belgrade)
    data.update(management("evidence", total=1))
    data.update(
        {
            "evidence-0-claim": Claim.OPERATOR,
            "evidence-0-kind": Evidence.Kind.PRESS,
            "evidence-0-title": "An article",
            "evidence-0-url": "https://example.org/a",
            "evidence-0-read_on": "",
        }
    )
    response = as_user(organiser).post(f"{ADMIN}/deployment/{belgrade.pk}/change/", data)
    assert response.status_code == 200
    assert "on which day you read" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_device_photo_is_uploaded_reencoded_and_shown_in_the_admin(
    as_user, organiser, belgrade, make_device
):
    device = make_device(belgrade)
    data = device_form(device)
    data.update(management("photos", total=1))
    data.update(
        {
            "photos-0-upload": SimpleUploadedFile("pole.png", png_bytes(), "image/png"),
            "photos-0-alt": "A camera on a pole",
        }
    )
    staff = as_user(organiser)
    response = staff.post(f"{ADMIN}/device/{device.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = Photo.objects.get()
    assert photo.device == device
    assert photo.content_type == "image/jpeg"
    assert AuditEntry.objects.filter(action="atlas.photo_add", actor="alice").exists()
    page = staff.get(f"{ADMIN}/device/{device.pk}/change/").content.decode()
    assert f"/atlas/photos/{photo.pk}/{photo.version}" in page


def test_deleting_evidence_in_the_admin_is_audited(as_user, organiser, belgrade):
    from reclaim.atlas.services.evidence import add_link

    evidence = add_link(
        belgrade,
        claim=Claim.OPERATOR,
        kind=Evidence.Kind.PRESS,
        title="An article",
        url="https://example.org/a",
        read_on=belgrade.created_at.date(),
        user=organiser,
    )
    data = deployment_form(belgrade)
    data.update(management("evidence", total=1, initial=1))
    data.update(
        {
            "evidence-0-id": str(evidence.pk),
            "evidence-0-deployment": str(belgrade.pk),
            "evidence-0-claim": evidence.claim,
            "evidence-0-kind": evidence.kind,
            "evidence-0-title": evidence.title,
            "evidence-0-url": evidence.url,
            "evidence-0-read_on": evidence.read_on.isoformat() if evidence.read_on else "",
            "evidence-0-DELETE": "on",
        }
    )
    response = as_user(organiser).post(f"{ADMIN}/deployment/{belgrade.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Evidence.objects.exists()
    assert AuditEntry.objects.filter(action="atlas.evidence_remove", actor="alice").exists()


def test_deleting_a_deployment_in_the_admin_is_audited(as_user, organiser, belgrade):
    response = as_user(organiser).post(f"{ADMIN}/deployment/{belgrade.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Deployment.objects.exists()
    assert AuditEntry.objects.filter(action="atlas.deployment_delete", actor="alice").exists()


def test_a_reviewer_cannot_edit_or_revert_in_the_admin(as_user, reviewers, belgrade):
    reviewer = as_user(reviewers[0])
    first = belgrade.history.latest()
    assert reviewer.get(f"{ADMIN}/deployment/").status_code == 403
    assert reviewer.get(f"{ADMIN}/deployment/{belgrade.pk}/change/").status_code == 403
    changed = reviewer.post(
        f"{ADMIN}/deployment/{belgrade.pk}/change/", deployment_form(belgrade, operator="X")
    )
    assert changed.status_code == 403
    reverted = reviewer.post(f"{ADMIN}/deployment/{belgrade.pk}/history/{first.history_id}/", {})
    assert reverted.status_code == 403
    belgrade.refresh_from_db()
    assert belgrade.operator == "Ministry of the Interior"


def test_an_organiser_without_the_right_to_confirm_cannot_revert(as_user, organiser, belgrade):
    from django.contrib.auth.models import Permission, User

    first = belgrade.history.latest()
    belgrade.name = "Renamed"
    belgrade.save()
    # A staff member who may change deployments but not confirm or revert.
    editor = User.objects.create_user("erin", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="atlas", codename__in=["view_deployment", "change_deployment"]
        )
    )
    response = as_user(editor).post(
        f"{ADMIN}/deployment/{belgrade.pk}/history/{first.history_id}/", {}
    )
    assert response.status_code == 403
    belgrade.refresh_from_db()
    assert belgrade.name == "Renamed"


def test_an_outsider_and_a_visitor_cannot_reach_the_atlas_admin(
    client, as_user, outsider, belgrade
):
    staff = as_user(outsider)
    assert staff.get(f"{ADMIN}/deployment/").status_code == 403
    assert staff.get(f"{ADMIN}/device/").status_code == 403
    assert staff.post(f"{ADMIN}/deployment/add/", deployment_form()).status_code == 403
    assert not Deployment.objects.filter(slug="safe-city-novi-sad").exists()
    anonymous = client.get(f"{ADMIN}/deployment/")
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]


def test_the_organisers_admin_pages_open(as_user, organiser, belgrade, make_device):
    staff = as_user(organiser)
    device = make_device(belgrade)
    for url in (
        f"{ADMIN}/deployment/",
        f"{ADMIN}/deployment/add/",
        f"{ADMIN}/deployment/{belgrade.pk}/change/",
        f"{ADMIN}/device/",
        f"{ADMIN}/device/add/",
        f"{ADMIN}/device/{device.pk}/change/",
        f"{ADMIN}/device/{device.pk}/history/",
    ):
        assert staff.get(url).status_code == 200, url
    # The header's "Atlas" and the staff area's links.
    home = staff.get("/en/admin/").content.decode()
    assert f"{ADMIN}/deployment/" in home


def test_the_header_links_to_the_atlas(client, db):
    body = client.get("/en/").content.decode()
    assert '<a href="/en/atlas/"' in body
