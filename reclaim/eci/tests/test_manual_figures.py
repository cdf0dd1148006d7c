"""Figures organisers enter by hand, when the sync is broken: typed in, or uploaded as CSV."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reclaim.audit.models import AuditEntry
from reclaim.eci.forms.figures import UploadFiguresForm
from reclaim.eci.models import CounterReading, Initiative
from reclaim.eci.sync import parsing

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def _readings(initiative: Initiative, source: str) -> dict[str, int]:
    return {
        r.country.code if r.country else "": r.count
        for r in CounterReading.objects.filter(initiative=initiative, source=source)
    }


# --- CSV ------------------------------------------------------------------------------


def test_a_good_csv_gives_the_figures_per_member_state():
    text = "\ufeffcountry,count\r\nDE,1200\r\nEL,300\r\n\r\nfr , 5\r\n"
    assert parsing.parse_figures_csv(text) == {"DE": 1200, "GR": 300, "FR": 5}


def test_a_csv_written_with_semicolons_is_read_too():
    assert parsing.parse_figures_csv("Country;Count\nAT;0\n") == {"AT": 0}


def test_a_csv_may_list_all_27_member_states():
    from reclaim.eci import rules

    codes = rules.load().codes()
    text = "country,count\n" + "".join(f"{code},1\n" for code in codes)
    assert parsing.parse_figures_csv(text) == dict.fromkeys(codes, 1)


BAD_CSV = {
    "empty": ("", "The file is empty."),
    "header only": ("country,count\n", "The file has no figures"),
    "no header": ("DE,1200\n", "Line 1: the first line must be the header"),
    "wrong header": ("land,zahl\nDE,1\n", "Line 1: the first line must be the header"),
    "unknown code": ("country,count\nDE,1\nXX,2\n", "Line 3: “XX” is not the code"),
    "left the EU": ("country,count\nUK,2\n", "Line 2: “UK” is not the code"),
    "not in the EU": ("country,count\nCH,2\n", "Line 2: “CH” is not the code"),
    "negative": ("country,count\nDE,-5\n", "Line 2: the count must be a whole number"),
    "decimal": ("country,count\nDE,1.5\n", "Line 2: the count must be a whole number"),
    "separator": ('country,count\nDE,"1,000"\n', "Line 2: the count must be a whole number"),
    "blank count": ("country,count\nDE,\n", "Line 2: the count must be a whole number"),
    "too large": ("country,count\nDE,99999999999\n", "Line 2: the count must be a whole number"),
    "three values": ("country,count\nDE,1,2\n", "Line 2: expected two values"),
    "repeated": ("country,count\nDE,1\nDE,2\n", "Line 3: DE is given more than once"),
    "EL and GR": ("country,count\nEL,1\nGR,2\n", "Line 3: GR is given more than once"),
    "28 lines": (
        "country,count\n" + "DE,1\n" * 28,
        "Line 29: the file has more than 27 lines of figures",
    ),
}


@pytest.mark.parametrize("text,message", BAD_CSV.values(), ids=BAD_CSV.keys())
def test_a_bad_csv_is_refused_naming_the_line(text, message):
    with pytest.raises(ValidationError) as caught:
        parsing.parse_figures_csv(text)
    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_every_bad_line_is_reported():
    with pytest.raises(ValidationError) as caught:
        parsing.parse_figures_csv("country,count\nXX,1\nDE,1\nFR,-1\n")
    assert len(caught.value.messages) == 2
    assert caught.value.messages[0].startswith("Line 2:")
    assert caught.value.messages[1].startswith("Line 4:")


# --- Figures by hand, through the page ------------------------------------------------


def _page(initiative: Initiative) -> str:
    return f"/en/eci/{initiative.slug}/organise/figures/"


def _nothing_written() -> bool:
    return (
        not CounterReading.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="eci.").exists()
    )


def test_the_organiser_sees_the_figures_page(initiative, organiser, as_user):
    page = as_user(organiser).get(_page(initiative))

    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('type="number"') == 27
    assert '<label for="id_manual-count_GR">Greece</label>' in text
    assert 'type="file"' in text
    assert "Commission signing system (online)" in text


def test_the_organiser_types_in_figures_and_it_is_audited(initiative, organiser, as_user):
    client = as_user(organiser)
    response = client.post(
        _page(initiative),
        {
            "form": "manual",
            "manual-source": "register",
            "manual-reported_at": "2025-03-05",
            "manual-count_DE": "1200",
            "manual-count_GR": "300",
            "manual-count_FR": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _page(initiative)
    assert _readings(initiative, "register") == {"DE": 1200, "GR": 300, "": 1500}
    readings = CounterReading.objects.filter(initiative=initiative)
    assert {r.origin for r in readings} == {"manual"}
    assert {r.reported_at for r in readings} == {datetime(2025, 3, 5, tzinfo=BRUSSELS)}
    entry = AuditEntry.objects.get(action="eci.figures.manual")
    assert entry.actor == "alice"
    assert entry.count == 1500
    assert entry.detail["source"] == "register"
    assert entry.detail["countries"] == ["DE", "GR"]
    followed = client.get(_page(initiative))
    assert "Saved the figures of 2 member states" in followed.content.decode()


def test_the_organiser_uploads_a_csv(initiative, organiser, as_user):
    upload = SimpleUploadedFile("figures.csv", b"country,count\nIT,10\nEL,5\n", "text/csv")
    response = as_user(organiser).post(
        _page(initiative), {"form": "upload", "upload-source": "online", "upload-file": upload}
    )

    assert response.status_code == 302
    assert _readings(initiative, "online") == {"IT": 10, "GR": 5, "": 15}
    assert AuditEntry.objects.filter(action="eci.figures.manual", count=15).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"manual-source": "register"},
        {"manual-source": "register", "manual-count_DE": "-1"},
        {"manual-source": "register", "manual-count_DE": "many"},
        {"manual-source": "register", "manual-count_DE": "1", "manual-count_FR": "1.5"},
        {"manual-source": "paper", "manual-count_DE": "1"},
        {"manual-count_DE": "1"},
        {"manual-source": "register", "manual-count_DE": "1", "manual-reported_at": "5 March"},
    ],
)
def test_bad_typed_figures_are_refused_and_nothing_is_written(initiative, organiser, as_user, data):
    response = as_user(organiser).post(_page(initiative), {"form": "manual", **data})

    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert _nothing_written()


@pytest.mark.parametrize("text,message", BAD_CSV.values(), ids=BAD_CSV.keys())
def test_a_bad_upload_is_refused_naming_the_line_and_nothing_is_written(
    initiative, organiser, as_user, text, message
):
    upload = SimpleUploadedFile("figures.csv", text.encode(), "text/csv")
    response = as_user(organiser).post(
        _page(initiative), {"form": "upload", "upload-source": "online", "upload-file": upload}
    )

    assert response.status_code == 400
    if not text:
        message = "The submitted file is empty."  # Django's FileField says so first
    assert message in response.content.decode()
    assert _nothing_written()


def test_a_binary_upload_is_refused(initiative, organiser, as_user):
    upload = SimpleUploadedFile("figures.csv", b"country,count\nDE,\xff\n", "text/csv")
    response = as_user(organiser).post(
        _page(initiative), {"form": "upload", "upload-source": "online", "upload-file": upload}
    )

    assert response.status_code == 400
    assert "not plain text in UTF-8" in response.content.decode()
    assert _nothing_written()


def test_an_upload_over_64_kb_is_refused(initiative, organiser, as_user):
    content = b"country,count\n" + b"#" * (64 * 1024)
    upload = SimpleUploadedFile("figures.csv", content, "text/csv")
    response = as_user(organiser).post(
        _page(initiative), {"form": "upload", "upload-source": "online", "upload-file": upload}
    )

    # The whole request is over the site's limit: refused before anything parses it.
    assert response.status_code == 413
    assert _nothing_written()
    # The form refuses it on its own too, should the site's limit ever be raised.
    form = UploadFiguresForm(
        {"upload-source": "online"},
        {"upload-file": SimpleUploadedFile("figures.csv", content, "text/csv")},
        prefix="upload",
    )
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is larger than 64 KB."]


@pytest.mark.parametrize("persona", ["moderator", "outsider"])
def test_other_staff_may_neither_see_nor_enter_figures(initiative, as_user, persona, request):
    client = as_user(request.getfixturevalue(persona))

    assert client.get(_page(initiative)).status_code == 403
    response = client.post(
        _page(initiative),
        {"form": "manual", "manual-source": "register", "manual-count_DE": "1"},
    )
    assert response.status_code == 403
    assert _nothing_written()


def test_a_visitor_is_sent_to_the_login_page(initiative, client):
    response = client.get(_page(initiative))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/admin/login/?next=")
    response = client.post(_page(initiative), {"form": "manual", "manual-count_DE": "1"})
    assert response.status_code == 302
    assert _nothing_written()


def test_an_unknown_initiative_is_not_found(organiser, as_user, db):
    assert as_user(organiser).get("/en/eci/nope/organise/figures/").status_code == 404
