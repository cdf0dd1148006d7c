"""The widget's page on a partner's site, through HTTP: what it shows, the headers that let
only the right sites frame it, no cookie, and signatures that record the widget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import Organisation, Widget
from reclaim.coalition.services.widgets import retire_widget, set_allowed_hosts
from reclaim.coalition.tests.fixtures_widgets import *  # noqa: F403
from reclaim.coalition.tests.fixtures_widgets import sign_through, widget_url
from reclaim.letters.models import Petition, Signature
from reclaim.letters.tests.helpers import sign

pytestmark = pytest.mark.django_db


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(
        part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors")
    )


def assert_no_cookie(response, client) -> None:
    assert not response.cookies
    assert not response.has_header("Set-Cookie")
    assert not client.cookies


def test_the_widget_shows_the_petition_its_counter_and_the_signing_form(client, petition_widget):
    response = client.get(widget_url(petition_widget))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Ban biometric mass surveillance" in html
    assert "confirmed signatures of 100" in html
    assert f'action="/en/coalition/widgets/{petition_widget.key}/"' in html
    assert 'name="email"' in html
    # Links out leave the frame, in a new tab.
    assert 'href="/en/p/ban/" target="_blank"' in html
    # No site header: the host page is the frame around it.
    assert "site-header" not in html


def test_the_widget_sets_no_cookie_when_read_or_signed(
    client, petition_widget, django_capture_on_commit_callbacks
):
    response = client.get(widget_url(petition_widget))
    assert_no_cookie(response, client)
    response = sign_through(client, petition_widget, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert_no_cookie(response, client)
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert_no_cookie(response, client)
    # A form with errors sets none either.
    response = sign_through(
        client, petition_widget, django_capture_on_commit_callbacks, email="not an address"
    )
    assert response.status_code == 400
    assert_no_cookie(response, client)
    assert "Vary" not in response or "Cookie" not in response["Vary"]


def test_any_site_may_frame_a_widget_that_lists_no_host(client, petition_widget):
    response = client.get(widget_url(petition_widget))
    assert frame_ancestors(response) == "frame-ancestors *"
    assert not response.has_header("X-Frame-Options")
    assert response["Referrer-Policy"] == "same-origin"
    # The page's own scripts still load: script-src stays our own origin.
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_only_the_listed_hosts_may_frame_a_restricted_widget(client, organiser, petition_widget):
    set_allowed_hosts(petition_widget, "https://Partner.example/\nhttp://localhost:8080", organiser)
    for url in (widget_url(petition_widget), widget_url(petition_widget) + "thanks/"):
        response = client.get(url)
        assert response.status_code == 200
        assert frame_ancestors(response) == (
            "frame-ancestors https://partner.example http://localhost:8080"
        )
        assert not response.has_header("X-Frame-Options")


def test_other_pages_still_refuse_to_be_framed(client, petition_widget):
    response = client.get("/en/p/ban/")
    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_a_retired_widget_says_it_is_no_longer_available(client, organiser, petition_widget):
    retire_widget(petition_widget, organiser)
    response = client.get(widget_url(petition_widget))
    assert response.status_code == 410
    assert "This widget is no longer available" in response.content.decode()
    assert frame_ancestors(response) == "frame-ancestors *"
    assert_no_cookie(response, client)
    # Nor can anyone sign through it.
    response = client.post(
        widget_url(petition_widget), {"email": "x@example.org"}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 410
    assert not Signature.objects.exists()


def test_a_widget_of_a_member_that_left_is_gone_too(client, member, petition_widget):
    Organisation.objects.filter(pk=member.pk).update(status=Organisation.Status.LEFT)
    assert client.get(widget_url(petition_widget)).status_code == 410


@pytest.mark.parametrize("key", ["NoSuchKey123", "x" * 25, "bad.key", "%E2%80%AE"])
def test_an_unknown_widget_is_a_404_page_not_an_error(client, key):
    response = client.get(f"/en/coalition/widgets/{key}/")
    assert response.status_code == 404
    assert "This widget is no longer available" in response.content.decode()
    assert_no_cookie(response, client)


def test_a_signature_through_the_widget_records_the_widget(
    client, petition_widget, django_capture_on_commit_callbacks
):
    response = sign_through(client, petition_widget, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == f"/en/coalition/widgets/{petition_widget.key}/thanks/"
    signature = Signature.objects.get()
    assert signature.widget_key == petition_widget.key
    assert signature.language == "en"
    assert len(mail.outbox) == 1


def test_a_signature_on_the_petition_page_records_no_widget(
    client, petition_widget, django_capture_on_commit_callbacks
):
    response = sign(client, petition_widget.petition, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Signature.objects.get().widget_key == ""


def test_a_second_signature_through_a_widget_is_a_duplicate_as_on_the_page(
    client, petition_widget, django_capture_on_commit_callbacks
):
    sign(client, petition_widget.petition, django_capture_on_commit_callbacks)
    response = sign_through(client, petition_widget, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Signature.objects.get().widget_key == ""


def test_signing_through_a_widget_of_a_closed_petition_says_it_is_closed(
    client, petition_widget, django_capture_on_commit_callbacks
):
    Petition.objects.filter(pk=petition_widget.petition_id).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert "Signing is closed." in client.get(widget_url(petition_widget)).content.decode()
    response = sign_through(client, petition_widget, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Signing is closed." in response.content.decode()
    assert not Signature.objects.exists()


def test_a_post_from_another_site_is_refused(
    client, petition_widget, django_capture_on_commit_callbacks
):
    response = sign_through(
        client,
        petition_widget,
        django_capture_on_commit_callbacks,
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_the_widget_speaks_its_own_language_whatever_the_visitor_prefers(
    client, organiser, petition_widget, django_capture_on_commit_callbacks
):
    Widget.objects.filter(pk=petition_widget.pk).update(language="de")
    response = client.get(widget_url(petition_widget, "en"), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Unterschreiben" in html or "Unterzeichnen" in html
    assert "Accept-Language" not in response.get("Vary", "")
    petition_widget.refresh_from_db()
    sign_through(
        client, petition_widget, django_capture_on_commit_callbacks, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert Signature.objects.get().language == "de"


def test_a_widget_without_a_language_speaks_the_visitors(client, petition_widget):
    response = client.get(widget_url(petition_widget, "en"), HTTP_ACCEPT_LANGUAGE="fr-CH, de;q=0.5")
    assert '<html lang="fr"' in response.content.decode()
    assert "Accept-Language" in response["Vary"]
    # A browser that asks for nothing we offer gets the language of the address.
    response = client.get(widget_url(petition_widget, "de"), HTTP_ACCEPT_LANGUAGE="ja")
    assert '<html lang="de"' in response.content.decode()


def test_nothing_about_the_host_page_is_stored(
    client, petition_widget, django_capture_on_commit_callbacks
):
    sign_through(
        client,
        petition_widget,
        django_capture_on_commit_callbacks,
        HTTP_REFERER="https://partner.example/secret-campaign-page",
        HTTP_ORIGIN="http://testserver",
        HTTP_USER_AGENT="Mozilla/5.0 (Fingerprint 1234)",
    )
    assert Signature.objects.get().widget_key == petition_widget.key
    stored = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from Django
            stored += [str(value) for row in cursor.fetchall() for value in row]
    text = "\n".join(stored)
    assert "partner.example" not in text
    assert "secret-campaign-page" not in text
    assert "Fingerprint" not in text


def test_the_eci_widget_shows_the_dashboard_and_links_out_to_the_checker(client, eci_widget):
    response = client.get(widget_url(eci_widget))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ban biometric mass surveillance in public spaces" in html
    assert "Statements of support" in html
    assert 'href="/en/eci/ban-biometric/check/" target="_blank"' in html
    assert frame_ancestors(response) == "frame-ancestors *"
    assert_no_cookie(response, client)
    response = client.post(widget_url(eci_widget), {}, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 405


def test_staff_actions_on_widgets_are_audited(client, organiser, petition_widget):
    set_allowed_hosts(petition_widget, ["https://partner.example"], organiser)
    retire_widget(petition_widget, organiser)
    actions = list(AuditEntry.objects.values_list("action", "actor"))
    assert ("coalition.widget_create", "system") in actions
    assert ("coalition.widget_hosts", "alice") in actions
    assert ("coalition.widget_retire", "alice") in actions
