"""Queued mails go out in batches over one connection, each exactly once, none lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import default_task_backend

from reclaim.mail import services
from reclaim.mail.addresses import seal
from reclaim.mail.builders import Letter
from reclaim.mail.models import OutgoingMail
from reclaim.mail.services import MAX_ATTEMPTS, claim, deliver_pending, queue_mail
from reclaim.mail.tests.backends import Server, declare_mail

KIND = "test-batch"
GONE = 0  # object_id of a mail whose object no longer exists
BROKEN: set[str] = set()  # recipients whose mail the builder fails to build


def _letter(queued: OutgoingMail) -> Letter | None:
    if queued.to_email in BROKEN:
        raise RuntimeError("the builder has a bug")
    if queued.object_id == GONE:
        return None
    return Letter(
        "letters-already-signed", {"petition": {"title": "Ban it"}, "confirmed": True, "link": ""}
    )


@pytest.fixture(autouse=True)
def _test_kind(monkeypatch: Any) -> None:
    declare_mail(monkeypatch, KIND, _letter)


@pytest.fixture(autouse=True)
def smtp_like(settings: Any) -> Any:
    settings.EMAIL_BACKEND = "reclaim.mail.tests.backends.SMTPLikeBackend"
    Server.reset()
    BROKEN.clear()
    yield Server
    Server.reset()
    BROKEN.clear()


def queue(*addresses: str, object_id: int = 1) -> list[str]:
    # Inside the test's transaction the on-commit nudge never runs: the mails just wait.
    for address in addresses:
        queue_mail(KIND, address, "en", object_id)
    return list(addresses)


def sent_to() -> list[str]:
    return [message.to[0] for message in mail.outbox]


def addresses(n: int) -> list[str]:
    return [f"signer{i}@example.org" for i in range(n)]


@pytest.mark.django_db
def test_a_batch_goes_out_over_one_connection():
    queued = queue(*addresses(30))

    assert deliver_pending() == 30

    assert sorted(sent_to()) == sorted(queued)
    assert Server.connections == 1
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_sending_one_by_one_would_open_a_connection_per_mail():
    # The baseline the batch improves on: the backend counts as SMTP does.
    from reclaim.lib import emails

    for address in addresses(3):
        emails.build("letters-already-signed", address, {"petition": {"title": "T"}}, "en").send()
    assert Server.connections == 3


@pytest.mark.django_db
def test_a_failing_mail_does_not_stop_the_others_and_stays_queued():
    queue("a@example.org", "b@example.org", "c@example.org")
    Server.refuse = {"b@example.org"}

    assert deliver_pending() == 2

    assert sorted(sent_to()) == ["a@example.org", "c@example.org"]
    left = OutgoingMail.objects.get()
    assert left.to_email == "b@example.org"
    assert left.attempts == 1
    # It waits before the retry, rather than being taken again at once.
    assert left.claimed_until is not None and left.claimed_until > timezone.now()
    assert deliver_pending() == 0
    assert OutgoingMail.objects.get().attempts == 1


@pytest.mark.django_db
def test_a_failed_mail_goes_out_when_its_retry_is_due():
    queue("b@example.org")
    Server.refuse = {"b@example.org"}
    deliver_pending()
    Server.refuse = set()
    OutgoingMail.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))

    assert deliver_pending() == 1

    assert sent_to() == ["b@example.org"]
    assert not OutgoingMail.objects.exists()


def _pk_of(address: str) -> int:
    return next(m.pk for m in OutgoingMail.objects.all() if m.to_email == address)


def _left() -> list[tuple[str | None, int]]:
    return [(m.to_email, m.attempts) for m in OutgoingMail.objects.order_by("pk")]


@pytest.mark.django_db
def test_a_mail_is_dropped_after_its_last_attempt():
    queue("b@example.org", "c@example.org")
    OutgoingMail.objects.filter(pk=_pk_of("b@example.org")).update(attempts=MAX_ATTEMPTS - 1)
    OutgoingMail.objects.filter(pk=_pk_of("c@example.org")).update(attempts=MAX_ATTEMPTS - 2)
    Server.refuse = {"b@example.org", "c@example.org"}

    assert deliver_pending() == 0

    assert _left() == [("c@example.org", MAX_ATTEMPTS - 1)]


@pytest.mark.django_db
def test_a_mail_that_cannot_be_built_does_not_stop_the_others():
    queue("a@example.org", "b@example.org", "c@example.org")
    BROKEN.add("b@example.org")

    assert deliver_pending() == 2

    assert sorted(sent_to()) == ["a@example.org", "c@example.org"]
    assert _left() == [("b@example.org", 1)]


@pytest.mark.django_db
def test_a_mail_for_an_object_that_is_gone_is_dropped_unsent():
    queue("a@example.org")
    queue("gone@example.org", object_id=GONE)

    assert deliver_pending() == 1

    assert sent_to() == ["a@example.org"]
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_an_unreachable_server_loses_nothing_and_counts_no_attempt():
    queued = queue(*addresses(5))
    Server.down = True

    assert deliver_pending() == 0

    assert not mail.outbox
    assert sorted(address for address, _attempts in _left()) == sorted(queued)
    assert set(OutgoingMail.objects.values_list("attempts", flat=True)) == {0}

    Server.down = False
    OutgoingMail.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert deliver_pending() == 5
    assert sorted(sent_to()) == sorted(queued)
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_a_connection_lost_midway_loses_nothing(monkeypatch: Any):
    queue("a@example.org", "b@example.org", "c@example.org", "d@example.org")
    Server.refuse = {"b@example.org"}
    connect = services.get_connection

    def server_goes_down_after_a_refusal() -> Any:
        backend = connect()
        original = backend.send_messages

        def send_messages(messages: Any) -> int:
            try:
                return original(messages)
            except Exception:
                Server.down = True
                raise

        backend.send_messages = send_messages
        return backend

    monkeypatch.setattr(services, "get_connection", server_goes_down_after_a_refusal)

    assert deliver_pending() == 1

    assert sent_to() == ["a@example.org"]
    left = dict(_left())
    # The refused mail counts an attempt; those never tried do not.
    assert left == {"b@example.org": 1, "c@example.org": 0, "d@example.org": 0}


@pytest.mark.django_db
def test_a_second_worker_skips_the_mails_the_first_has_claimed():
    queued = queue(*addresses(6))
    first = claim(4)

    assert deliver_pending() == 2  # the second worker gets only the unclaimed two
    assert services._send_batch(first) == 4  # then the first sends its own

    assert sorted(sent_to()) == sorted(queued)
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_a_crashed_workers_claim_runs_out_and_its_mails_go_out():
    queue("a@example.org")
    claim()  # the worker dies here
    assert deliver_pending() == 0

    OutgoingMail.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert deliver_pending() == 1
    assert sent_to() == ["a@example.org"]


@pytest.mark.django_db
def test_a_batch_running_out_of_claim_time_hands_the_rest_back(monkeypatch: Any):
    queue("a@example.org", "b@example.org")
    monkeypatch.setattr(services, "CLAIM", timedelta(0))

    assert deliver_pending() == 0

    assert not mail.outbox
    # Handed back for the next worker at once, with no attempt counted.
    assert set(OutgoingMail.objects.values_list("claimed_until", "attempts")) == {(None, 0)}


@pytest.mark.django_db
def test_a_backlog_larger_than_one_run_is_left_to_a_fresh_task(monkeypatch: Any):
    queued = queue(*addresses(7))
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    monkeypatch.setattr(services, "MAX_BATCHES", 2)

    # With the immediate backend the follow-up task runs at once, until all are out.
    assert deliver_pending() >= 4

    assert sorted(sent_to()) == sorted(queued)
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_a_single_mail_is_sent_as_soon_as_its_transaction_commits(
    django_capture_on_commit_callbacks: Any,
):
    with django_capture_on_commit_callbacks(execute=True):
        queue("a@example.org")

    assert sent_to() == ["a@example.org"]
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_every_mail_of_a_quick_succession_is_sent(django_capture_on_commit_callbacks: Any):
    for address in addresses(3):
        with django_capture_on_commit_callbacks(execute=True):
            queue(address)

    assert sent_to() == addresses(3)


@pytest.mark.django_db
def test_a_burst_enqueues_two_tasks_not_one_per_mail(
    settings: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    clock = SimpleNamespace(now=1_000_000.25)
    monkeypatch.setattr(
        services, "time", SimpleNamespace(time=lambda: clock.now, monotonic=lambda: 0.0)
    )

    with django_capture_on_commit_callbacks(execute=True):
        queue(*addresses(50))
    for address in addresses(20):
        with django_capture_on_commit_callbacks(execute=True):
            queue("late-" + address)

    # One task at once for the first mail, one at the end of the second for the rest: any
    # mail committed after the first task claimed its batch is still covered.
    results = default_task_backend.results  # type: ignore[attr-defined]
    assert [r.task.name for r in results] == ["deliver_pending", "deliver_pending"]
    assert results[0].task.run_after is None
    assert results[1].task.run_after == datetime.fromtimestamp(1_000_001, tz=UTC)

    clock.now += 1  # the next second: a lone mail goes at once again
    with django_capture_on_commit_callbacks(execute=True):
        queue("next@example.org")
    assert len(results) == 3
    assert results[2].task.run_after is None
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_mail_exactly_once(monkeypatch: Any):
    monkeypatch.setattr(services, "BATCH_SIZE", 10)
    OutgoingMail.objects.bulk_create(
        OutgoingMail(kind=KIND, to_sealed=sealed, key_period=period, language="en", object_id=1)
        for period, sealed in map(seal, addresses(120))
    )
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        try:
            start.wait()
            while deliver_pending():
                pass
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    assert not errors
    assert sorted(sent_to()) == sorted(addresses(120))  # each once
    assert len({number for _to, number in Server.delivered_by}) > 1  # several connections
    assert not OutgoingMail.objects.exists()
