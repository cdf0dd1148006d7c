"""The dashboard is worked out once and then kept, yet no write ever leaves it behind."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from reclaim.eci import dashboard_cache
from reclaim.eci.models import CounterReading, Initiative, PaperBatch
from reclaim.eci.services.figures import record_manual_figures, record_sync_success

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch: Any) -> list[Initiative]:
    """Every time the dashboard is worked out rather than taken from the cache."""
    calls: list[Initiative] = []
    real = dashboard_cache.build

    def counting(initiative: Initiative, **kwargs: Any) -> Any:
        calls.append(initiative)
        return real(initiative, **kwargs)

    monkeypatch.setattr(dashboard_cache, "build", counting)
    return calls


def _dashboard(client: Any, initiative: Initiative, language: str = "en") -> str:
    response = client.get(f"/{language}/eci/{initiative.slug}/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def _germany(page: str) -> str:
    """The table row of Germany, the first cells of which are its figures."""
    start = page.index('<th scope="row">Germany</th>')
    return page[start : page.index("</tr>", start)]


def _register(initiative: Initiative, figures: dict[str, int], organiser: Any) -> None:
    record_manual_figures(initiative, "register", figures, organiser)


def test_the_second_visit_is_served_from_the_cache(client, initiative, organiser, builds):
    _register(initiative, {"DE": 1200}, organiser)
    first = _dashboard(client, initiative)
    second = _dashboard(client, initiative)
    assert len(builds) == 1
    assert first == second
    assert '" class="num">1,200</td>' in _germany(second)


def test_the_embed_shares_the_dashboards_figures(client, initiative, builds):
    _dashboard(client, initiative)
    embed = client.get(f"/en/eci/{initiative.slug}/embed/?partner=edri")
    assert embed.status_code == 200
    assert len(builds) == 1


def test_figures_typed_in_by_an_organiser_show_at_once(client, initiative, organiser, as_user):
    _register(initiative, {"DE": 1200}, organiser)
    assert "1,200" in _germany(_dashboard(client, initiative))
    response = as_user(organiser).post(
        f"/en/eci/{initiative.slug}/organise/figures/",
        {"form": "manual", "manual-source": "register", "manual-count_DE": "1300"},
    )
    assert response.status_code == 302
    page = _dashboard(client, initiative)
    assert "1,300" in _germany(page)
    assert "1,200" not in _germany(page)


def test_a_sync_of_either_counter_shows_at_once(client, initiative, organiser):
    _register(initiative, {"DE": 1200}, organiser)
    _dashboard(client, initiative)
    # Online figures alone, as the central system's counter gives them: the total only.
    record_sync_success(initiative, "online", total=5000, countries={}, attempted_at=timezone.now())
    assert "5,000 of 1,000,000" in _dashboard(client, initiative)


def test_paper_shows_once_counted_and_then_by_its_certified_figure(
    client, initiative, organiser, as_user
):
    staff = as_user(organiser)
    _dashboard(client, initiative)
    response = staff.post(
        f"/en/eci/{initiative.slug}/organise/batches/",
        {
            "reference": "de-berlin-01",
            "partner": "Digitalcourage",
            "country": "DE",
            "sheets": "40",
            "statements": "380",
        },
    )
    assert response.status_code == 302
    batch = PaperBatch.objects.get(reference="de-berlin-01")
    advance = f"/en/eci/{initiative.slug}/organise/batches/{batch.pk}/"
    assert "380" not in _germany(_dashboard(client, initiative))
    assert staff.post(advance, {"step": "counted"}).status_code == 302
    assert '" class="num">380</td>' in _germany(_dashboard(client, initiative))
    staff.post(advance, {"step": "stored"})
    staff.post(advance, {"step": "sent", "sent_means": "registered post"})
    _dashboard(client, initiative)
    staff.post(advance, {"step": "certified", "valid_count": "351"})
    page = _dashboard(client, initiative)
    assert '" class="num">351</td>' in _germany(page)
    assert "380" not in _germany(page)


def test_a_changed_safety_target_shows_at_once(client, initiative):
    assert "82,944" in _germany(_dashboard(client, initiative))  # 120 % of 69,120
    initiative.safety_target_percent = 150
    initiative.save()
    assert "103,680" in _germany(_dashboard(client, initiative))


def test_each_language_gets_its_own_names_of_the_states(client, initiative, builds):
    assert "Germany" in _dashboard(client, initiative, "en")
    assert "Deutschland" in _dashboard(client, initiative, "de")
    assert "Germany" in _dashboard(client, initiative, "en")
    assert len(builds) == 2


def test_each_initiative_has_its_own_figures(client, initiative, rfy_initiative, organiser):
    _register(initiative, {"DE": 1200}, organiser)
    _register(rfy_initiative, {"DE": 777}, organiser)
    assert "1,200" in _germany(_dashboard(client, initiative))
    assert "777" in _germany(_dashboard(client, rfy_initiative))


def test_a_write_the_stamp_cannot_see_shows_within_a_minute(
    client, initiative, organiser, builds, monkeypatch
):
    _register(initiative, {"DE": 1200}, organiser)
    _dashboard(client, initiative)
    # A reading without its total, as no code of reclaim writes: the cache keeps the old
    # figures, but no longer than CACHE_SECONDS.
    CounterReading.objects.create(
        initiative=initiative, source="register", country="DE", count=1400
    )
    assert "1,200" in _germany(_dashboard(client, initiative))
    later = time.time() + dashboard_cache.CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert "1,400" in _germany(_dashboard(client, initiative))
    assert len(builds) == 2


def test_the_cached_figures_keep_their_moment(client, initiative, organiser):
    """The rates and projections are those of the moment they were worked out."""
    _register(initiative, {"DE": 1200}, organiser)
    before = timezone.now()
    context = dashboard_cache.figures_context(initiative)
    again = dashboard_cache.figures_context(initiative)
    assert before <= context["board"].now == again["board"].now < before + timedelta(seconds=5)
    assert again["board"].initiative is initiative
