"""Counts come from insert-only rows aggregated by a job, never from a hot counter row."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from reclaim.letters.counting import aggregate_counts
from reclaim.letters.models import CountryCount, MilestoneReached, Signature
from reclaim.letters.tests.helpers import confirm, last_link, sign


@pytest.mark.django_db(transaction=True)
def test_counts_after_aggregation_under_concurrent_signing(petition):
    countries = ["DE", "FR", "IT", "PL"]
    per_thread = 6
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        client = Client()
        try:
            for i in range(per_thread):
                response = client.post(
                    "/en/p/ban/",
                    {
                        "as": "individual",
                        "name": f"T{n} S{i}",
                        "email": f"t{n}.s{i}@example.org",
                        "country": countries[n],
                    },
                    REMOTE_ADDR=f"192.0.{n}.10",  # each thread from its own network
                )
                assert response.status_code == 302, response.content[:500]
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(countries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Signature.objects.count() == len(countries) * per_thread

    # Confirm all but one per country; unconfirmed ones must not count.
    for country in countries:
        pending = Signature.objects.filter(country=country).order_by("pk")[1:]
        Signature.objects.filter(pk__in=[s.pk for s in pending]).update(confirmed_at=timezone.now())
    aggregate_counts()
    counts = dict(CountryCount.objects.filter(petition=petition).values_list("country", "count"))
    assert counts == {c: per_thread - 1 for c in countries}
    total = Client().get("/api/petitions/ban/count.json").json()["total"]
    assert total == len(countries) * (per_thread - 1)


@pytest.mark.django_db
def test_invalidated_signatures_leave_the_count_at_the_next_aggregation(
    client, petition, django_capture_on_commit_callbacks
):
    for n in range(3):
        sign(client, petition, django_capture_on_commit_callbacks, email=f"x{n}@example.org")
        confirm(client, last_link())
    aggregate_counts()
    Signature.objects.filter(pk=Signature.objects.first().pk).update(invalidated_at=timezone.now())
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 3
    aggregate_counts()
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 2


@pytest.mark.django_db
def test_a_country_that_drops_to_zero_shows_zero_not_its_old_count(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks, country="LU")
    confirm(client, last_link())
    aggregate_counts()
    Signature.objects.update(invalidated_at=timezone.now())
    aggregate_counts()
    assert CountryCount.objects.get(petition=petition, country="LU").count == 0
    assert client.get("/api/petitions/ban/count.json").json()["by_country"] == {}


@pytest.mark.django_db
def test_it_stores_the_moment_a_milestone_was_crossed(
    client, petition, django_capture_on_commit_callbacks
):
    for n in range(2):
        sign(client, petition, django_capture_on_commit_callbacks, email=f"m{n}@example.org")
        confirm(client, last_link())
    aggregate_counts()
    reached = MilestoneReached.objects.get(petition=petition, threshold=2)
    aggregate_counts()  # a later run keeps the first moment
    assert MilestoneReached.objects.get(pk=reached.pk).reached_at == reached.reached_at
    assert not MilestoneReached.objects.filter(threshold=50).exists()
    page = client.get("/en/p/ban/").content.decode()
    assert "reached on" in page


@pytest.mark.django_db
def test_the_counter_json_is_cacheable_and_complete(client, petition):
    aggregate_counts()
    response = client.get("/api/petitions/ban/count.json")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "max-age=5" in cache_control
    assert "stale-while-revalidate=" in cache_control
    assert "stale-if-error=" in cache_control
    data = response.json()
    assert set(data) == {"petition", "total", "goal", "by_country", "updated_at"}
    assert data["goal"] == 100
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_a_signing_request_writes_no_counter_row(
    client, petition, django_capture_on_commit_callbacks
):
    aggregate_counts()
    sign(client, petition, django_capture_on_commit_callbacks)
    confirm(client, last_link())
    assert not CountryCount.objects.exists()  # only the job writes counts


@pytest.mark.django_db
def test_the_petition_page_shows_progress_and_the_table_by_country(
    client, petition, django_capture_on_commit_callbacks
):
    petition.goal = 20000
    petition.save()
    sign(client, petition, django_capture_on_commit_callbacks, country="PT")
    confirm(client, last_link())
    aggregate_counts()
    page = client.get("/en/p/ban/").content.decode()
    assert '<progress max="100" value="0"' in page
    assert "confirmed signature of 20,000" in page
    assert "20.000" in client.get("/de/p/ban/").content.decode()
    assert "Portugal" in page
    assert "Confirmed signatures by country" in page


@pytest.mark.django_db
def test_the_signatories_list_groups_organisations_first_and_paginates(client, letter, settings):
    settings.RECLAIM = {**settings.RECLAIM, "SIGNATORIES_PER_PAGE": 2}
    now = timezone.now()
    Signature.objects.create(
        petition=letter,
        kind="organisation",
        country="BE",
        language="en",
        listed=True,
        public_name="EDRi",
        review="approved",
        confirmed_at=now,
    )
    Signature.objects.create(
        petition=letter,
        kind="organisation",
        country="DE",
        language="en",
        listed=True,
        public_name="Pending Org",
        review="pending",
        confirmed_at=now,
    )
    for n in range(3):
        Signature.objects.create(
            petition=letter,
            kind="individual",
            country="FR",
            language="en",
            listed=True,
            public_name=f"Person {n}",
            confirmed_at=now,
            created_at=now - timedelta(minutes=10 - n),
        )
    Signature.objects.create(
        petition=letter,
        kind="individual",
        country="FR",
        language="en",
        listed=False,
        public_name="",
        confirmed_at=now,
    )
    Signature.objects.create(
        petition=letter,
        kind="individual",
        country="FR",
        language="en",
        listed=True,
        public_name="Not Confirmed",
    )
    Signature.objects.create(
        petition=letter,
        kind="individual",
        country="FR",
        language="en",
        listed=True,
        public_name="Hidden One",
        confirmed_at=now,
        hidden_at=now,
    )
    first = client.get("/en/p/letter/signatories/").content.decode()
    assert first.index("EDRi") < first.index("Person 0")
    assert "Pending Org" not in first
    assert "Not Confirmed" not in first
    assert "Hidden One" not in first
    assert "Person 1" in first and "Person 2" not in first
    next_page = re.search(r'href="(\?after=\d+)" rel="next"', first)
    assert next_page
    second = client.get("/en/p/letter/signatories/" + next_page.group(1)).content.decode()
    assert "Person 2" in second and "EDRi" not in second


def test_a_count_aggregated_in_another_process_is_public_within_a_second(
    client, petition, settings
):
    """Without a shared cache the job's figures live in the job's process: a web process
    must not keep its own copy longer than a second (it kept it for a minute)."""
    settings.SHARED_CACHE = False
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 0
    # What the scheduler's process does: it writes the count table (and its own cache).
    CountryCount.objects.create(petition=petition, country="DE", count=7)
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 0  # still cached
    time.sleep(1.1)
    assert client.get("/api/petitions/ban/count.json").json() | {"updated_at": None} == {
        "petition": "ban",
        "total": 7,
        "goal": petition.goal,
        "by_country": {"DE": 7},
        "updated_at": None,
    }


def test_with_a_shared_cache_the_jobs_figures_are_read_at_once(client, petition, settings):
    settings.SHARED_CACHE = True
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 0
    Signature.objects.create(
        petition=petition, country="FR", email_hash="x" * 64, confirmed_at=timezone.now()
    )
    aggregate_counts()  # sets the shared entry
    assert client.get("/api/petitions/ban/count.json").json()["by_country"] == {"FR": 1}


def test_the_table_by_country_names_countries_in_the_visitors_language(client, petition):
    CountryCount.objects.create(petition=petition, country="DE", count=3)
    CountryCount.objects.create(petition=petition, country="FR", count=2)
    german = client.get("/de/p/ban/").content.decode()
    assert '<th scope="row">Deutschland</th><td class="num">3</td>' in german
    assert '<th scope="row">Frankreich</th><td class="num">2</td>' in german
    french = client.get("/fr/p/ban/").content.decode()
    assert '<th scope="row">Allemagne</th><td class="num">3</td>' in french
    # The form's select is in the same language, sorted by the names in it.
    assert french.index('<option value="DE">Allemagne</option>') < french.index(
        '<option value="FR">France</option>'
    )
