"""Making, configuring, counting and pasting widgets; the organisers' admin of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.coalition.jobs import JOBS
from reclaim.coalition.models import Organisation, Widget
from reclaim.coalition.services.widgets import (
    ensure_widgets,
    parse_hosts,
    retire_widget,
    set_allowed_hosts,
    signature_counts,
    snippet,
    snippet_for,
    top_up_widgets,
)
from reclaim.coalition.tests.fixtures_widgets import *  # noqa: F403
from reclaim.coalition.tests.fixtures_widgets import sign_through
from reclaim.eci.models import Initiative
from reclaim.letters.models import Petition, Signature

pytestmark = pytest.mark.django_db


def test_a_member_gets_a_widget_for_each_open_petition_and_the_eci(
    member, petition, letter, initiative
):
    Petition.objects.create(
        slug="draft", title="Draft", text="x", closes_at=timezone.now() + timedelta(days=9)
    )
    Petition.objects.create(
        slug="old",
        title="Old",
        text="x",
        status=Petition.Status.CLOSED,
        closes_at=timezone.now() - timedelta(days=1),
    )
    created = ensure_widgets(member)
    assert {(w.target, w.petition, w.initiative) for w in created} == {
        (Widget.Target.PETITION, petition, None),
        (Widget.Target.PETITION, letter, None),
        (Widget.Target.ECI, None, initiative),
    }
    keys = [w.key for w in Widget.objects.all()]
    assert len(set(keys)) == 3
    assert all(
        16 <= len(key) <= 24 and key.replace("-", "").replace("_", "").isalnum() for key in keys
    )
    # Idempotent: a second run adds nothing.
    assert ensure_widgets(member) == []
    assert Widget.objects.count() == 3


def test_an_applicant_gets_no_widget(member, petition):
    Organisation.objects.filter(pk=member.pk).update(status=Organisation.Status.APPLICANT)
    assert ensure_widgets(member) == []
    assert not Widget.objects.exists()


def test_a_retired_widget_is_not_made_again(organiser, member, petition):
    (widget,) = ensure_widgets(member)
    retire_widget(widget, organiser)
    assert ensure_widgets(member) == []
    assert Widget.objects.get().retired_at is not None
    # Retiring twice changes nothing and writes one entry.
    assert retire_widget(widget, organiser) is False
    assert AuditEntry.objects.filter(action="coalition.widget_retire").count() == 1


def test_the_job_gives_members_a_widget_for_a_petition_opened_later(member, keypair):
    assert top_up_widgets() == 0
    Petition.objects.create(
        slug="new",
        title="New",
        text="x",
        status=Petition.Status.OPEN,
        closes_at=timezone.now() + timedelta(days=9),
    )
    (job,) = [job for job in JOBS if job.run is top_up_widgets]
    job.run()
    assert Widget.objects.get().petition.slug == "new"
    assert top_up_widgets() == 0


def test_an_ended_initiative_gets_no_new_widget(member, initiative):
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.ANSWERED)
    assert ensure_widgets(member) == []


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://partner.example", ["https://partner.example"]),
        ("HTTPS://Partner.Example/", ["https://partner.example"]),
        (
            "http://localhost:8080\n\n  https://a.example \nhttps://a.example",
            [
                "http://localhost:8080",
                "https://a.example",
            ],
        ),
        ("https://bücher.example", ["https://xn--bcher-kva.example"]),
        ("", []),
    ],
)
def test_allowed_hosts_are_stored_as_origins(organiser, petition_widget, given, stored):
    assert set_allowed_hosts(petition_widget, given, organiser) == stored
    petition_widget.refresh_from_db()
    assert petition_widget.allowed_hosts == "\n".join(stored)


@pytest.mark.parametrize(
    "bad",
    [
        "https://partner.example/campaign",
        "https://*.partner.example",
        "*",
        "partner.example",
        "ftp://partner.example",
        "javascript:alert(1)",
        "https://partner.example?x=1",
        "https://user@partner.example",
        "https://partner.example; script-src *",
        "https://partner example",
        "https://partner.example:99999",
        "https://'self'",
    ],
)
def test_a_bad_host_is_refused_with_a_clear_error_and_changes_nothing(
    organiser, petition_widget, bad
):
    set_allowed_hosts(petition_widget, "https://kept.example", organiser)
    with pytest.raises(ValidationError) as raised:
        set_allowed_hosts(petition_widget, f"https://fine.example\n{bad}", organiser)
    message = " ".join(raised.value.messages)
    assert bad.strip() in message
    assert "https://example.org" in message or "wildcards" in message
    petition_widget.refresh_from_db()
    assert petition_widget.allowed_hosts == "https://kept.example"


def test_at_most_twenty_hosts(organiser, petition_widget):
    with pytest.raises(ValidationError, match="At most 20"):
        parse_hosts([f"https://site{n}.example" for n in range(21)])


def test_partners_see_only_confirmed_counts_per_widget(
    client, member, petition_widget, django_capture_on_commit_callbacks
):
    sign_through(client, petition_widget, django_capture_on_commit_callbacks)
    sign_through(client, petition_widget, django_capture_on_commit_callbacks, email="b@example.org")
    assert signature_counts([petition_widget]) == {petition_widget.key: 0}
    Signature.objects.filter(email_hash__isnull=False).update(confirmed_at=timezone.now())
    Signature.objects.filter(pk=Signature.objects.first().pk).update(invalidated_at=timezone.now())
    assert signature_counts([petition_widget]) == {petition_widget.key: 1}


def test_the_snippet_is_one_accessible_iframe_and_an_optional_script(settings, petition_widget):
    settings.ALLOWED_HOSTS = ["campaign.example"]
    request = RequestFactory().get("/", secure=True, HTTP_HOST="campaign.example")
    html = snippet(petition_widget, request)
    frame, script = html.split("\n")
    assert frame == (
        f'<iframe src="https://campaign.example/en/coalition/widgets/{petition_widget.key}/"'
        ' title="Ban biometric mass surveillance" width="100%" height="900" loading="lazy"'
        ' referrerpolicy="no-referrer"></iframe>'
    )
    assert script == (
        '<script src="https://campaign.example/static/coalition/widget-resize.js" async></script>'
    )


def test_the_snippet_of_a_german_widget_points_at_the_german_page(organiser, petition_widget):
    from reclaim.coalition.services.widgets import set_widget_language

    set_widget_language(petition_widget, "de", organiser)
    request = RequestFactory().get("/")
    assert f"/de/coalition/widgets/{petition_widget.key}/" in snippet(petition_widget, request)
    with pytest.raises(ValidationError):
        set_widget_language(petition_widget, "xx", organiser)


def test_organisers_restrict_and_retire_widgets_in_the_admin(as_user, organiser, petition_widget):
    client = as_user(organiser)
    url = f"/en/admin/coalition/widget/{petition_widget.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "referrerpolicy=&quot;no-referrer&quot;" in page.content.decode()

    response = client.post(url, {"language": "", "allowed_hosts": "https://partner.example/x"})
    assert response.status_code == 200
    assert "is not a site’s address" in response.content.decode()
    petition_widget.refresh_from_db()
    assert petition_widget.allowed_hosts == ""

    response = client.post(url, {"language": "fr", "allowed_hosts": "https://Partner.example"})
    assert response.status_code == 302
    petition_widget.refresh_from_db()
    assert petition_widget.allowed_hosts == "https://partner.example"
    assert petition_widget.language == "fr"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"coalition.widget_hosts", "coalition.widget_language"} <= actions

    response = client.post(
        "/en/admin/coalition/widget/",
        {"action": "retire", "_selected_action": [petition_widget.pk]},
    )
    assert response.status_code == 302
    petition_widget.refresh_from_db()
    assert petition_widget.retired_at is not None


def test_staff_without_the_organiser_role_cannot_open_widgets(as_user, outsider, petition_widget):
    client = as_user(outsider)
    assert client.get("/en/admin/coalition/widget/").status_code == 403


def test_the_snippet_keeps_apostrophes_and_escapes_what_would_break_the_attribute(
    petition_widget,
):
    petition_widget.petition.title = 'The Act\'s "loopholes" & <gaps>'
    petition_widget.petition.save()
    frame = snippet_for(petition_widget, "https://campaign.example.org").splitlines()[0]
    assert 'title="The Act\'s &quot;loopholes&quot; &amp; &lt;gaps&gt;"' in frame
