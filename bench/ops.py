"""What the harness does inside Django: fixtures, bulk loading, timings, crash checks.

Run as ``python -m bench.ops COMMAND [ARGS]`` with ``DJANGO_SETTINGS_MODULE=bench.settings_bench``
and the environment of the pass (data folder, database). Each command prints its result
(a record of bench/figures.py) as one JSON object on its last line of stdout; the harness
(``Environment.ops`` in bench/stack.py) reads it back.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.figures import (
    Aggregation,
    BulkLoad,
    ConfirmedRows,
    CrashCheck,
    DiscardedMail,
    Export,
    Fixtures,
    PetitionState,
    Purge,
    Status,
    to_json,
)

PETITION_SLUG = "bench-petition"
MILLION_SLUG = "bench-million"
PROBE_SLUG = "bench-probe"
# The demo's ECI initiative that is collecting now (`reclaim demo`, run before `fixtures`).
ECI_SLUG = "ban-biometric-surveillance-2026"
ACTOR = "bench"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    import django

    django.setup()


def _emit(result: Any) -> None:
    print(json.dumps(to_json(result), default=str), flush=True)


# --- Fixtures -------------------------------------------------------------------------


def _petition(slug: str, title: str, now: datetime) -> Any:
    from reclaim.letters.models import Petition

    text = "\n\n".join(
        [
            "We, the undersigned, ask our governments to ban biometric mass surveillance in "
            "public spaces: no face recognition on our streets, in our stations, at our "
            "protests.",
            "Being watched changes how we behave. A society where everyone is a suspect is "
            "not a free society.",
            "Sign now and share this petition with the people you care about.",
        ]
    )
    petition, _created = Petition.objects.get_or_create(
        slug=slug,
        defaults={
            "kind": Petition.Kind.PETITION,
            "title": title,
            "summary": "A benchmark petition, with the length and shape of a real one.",
            "text": text,
            "language": "en",
            "goal": 1_000_000,
            "milestones": [1_000, 10_000, 100_000, 500_000],
            "opens_at": now - timedelta(days=30),
            "closes_at": now + timedelta(days=60),
            "status": Petition.Status.OPEN,
            "allows_organisations": True,
            "allows_individuals": True,
        },
    )
    return petition


def fixtures() -> Fixtures:
    """The bench's petitions and the floor's table, beside the demo content. Idempotent.

    The ECI phases measure the demo's initiative, which ``reclaim demo`` loads (the harness
    runs it first)."""
    from django.db import connection
    from django.utils import timezone

    from bench.floor import TABLE
    from reclaim.demo.facts import population
    from reclaim.eci.models import Initiative

    if not Initiative.objects.filter(slug=ECI_SLUG).exists():
        raise SystemExit(
            f"no ECI initiative {ECI_SLUG!r}: `reclaim demo` should have loaded it "
            f"(initiatives there: {list(Initiative.objects.values_list('slug', flat=True))})"
        )
    now = timezone.now()
    petition = _petition(PETITION_SLUG, "Ban biometric mass surveillance (benchmark)", now)
    million = _petition(MILLION_SLUG, "A million signatures (benchmark)", now)
    _petition(PROBE_SLUG, "Count visibility probe (benchmark)", now)
    pk = "BIGSERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY"
    stamp = "TIMESTAMPTZ" if connection.vendor == "postgresql" else "TEXT"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            f"(id {pk}, created_at {stamp} NOT NULL, payload TEXT NOT NULL)"
        )
    return Fixtures(
        petition=petition.slug,
        petition_id=petition.pk,
        million=million.slug,
        million_id=million.pk,
        probe=PROBE_SLUG,
        eci=ECI_SLUG,
        countries=population(),
        vendor=connection.vendor,
    )


# --- State ----------------------------------------------------------------------------


def status() -> Status:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from bench.floor import TABLE
    from reclaim.letters.models import CountryCount, Petition, Signature
    from reclaim.mail.models import OutgoingMail

    petitions = {}
    for petition in Petition.objects.filter(slug__in=[PETITION_SLUG, MILLION_SLUG, PROBE_SLUG]):
        rows = Signature.objects.filter(petition=petition)
        petitions[petition.slug] = PetitionState(
            rows=rows.count(),
            counted=rows.counted().count(),
            aggregated=sum(
                CountryCount.objects.filter(petition=petition).values_list("count", flat=True)
            ),
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
        floor_rows = cursor.fetchone()[0]
    return Status(
        outbox=OutgoingMail.objects.count(),
        tasks_ready=DBTaskResult.objects.ready().count(),
        tasks_total=DBTaskResult.objects.count(),
        petitions=petitions,
        floor_rows=floor_rows,
    )


# --- A million signatures -------------------------------------------------------------

DOMAINS = [
    "gmail.com", "web.de", "gmx.de", "orange.fr", "free.fr", "libero.it", "outlook.com",
    "yahoo.com", "posteo.de", "wp.pl", "seznam.cz", "telenet.be", "ziggo.nl", "proton.me",
    "hotmail.com", "t-online.de", "laposte.net", "icloud.com", "sapo.pt", "freemail.hu",
]  # fmt: skip
FIRST = ["Anna", "Jan", "Marie", "Luca", "Sofia", "Piotr", "Elena", "Jonas", "Ines", "Mateo"]
LAST = ["Müller", "Rossi", "Dubois", "Nowak", "García", "Jansen", "Novák", "Silva", "Horvat"]


def _boxes(petition: Any, countries: list[str], per_country: int) -> dict[str, list[bytes]]:
    """Real sealed boxes for this petition's context, a few per country.

    Sealing speed is not what the bulk load measures, so a handful of genuine boxes is
    reused across the rows; every row still opens with the key, as the export needs."""
    from reclaim.keyring.services import current_key, parsed_public_key
    from reclaim.letters.models import Signature
    from reclaim.letters.services import SignerData
    from reclaim.lib.sealing import seal

    key = current_key()
    public = parsed_public_key(key.public_pem)
    rng = random.Random(5)
    boxes: dict[str, list[bytes]] = {}
    for country in countries:
        boxes[country] = []
        for n in range(per_country):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            data = SignerData(
                kind=Signature.Kind.INDIVIDUAL,
                name=name,
                email=f"box{n}.{country.lower()}@{rng.choice(DOMAINS)}",
                country=country,
                comment="Ban it now." if n % 10 == 0 else "",
                listed=n % 5 < 2,
                newsletter=n % 3 == 0,
            )
            boxes[country].append(seal(public, data.sealed_payload(), petition.context()))
    return boxes


def bulkload(count: int) -> BulkLoad:
    """Insert ``count`` confirmed signatures into the million petition, as fast as the
    database takes them: one transaction, executemany on SQLite, COPY on PostgreSQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    from reclaim.demo.facts import member_states
    from reclaim.keyring.services import current_key
    from reclaim.letters.models import Petition, Signature
    from reclaim.lib.emailhash import email_hash
    from reclaim.shield.network import domain_hash

    started = time.perf_counter()
    petition = Petition.objects.get(slug=MILLION_SLUG)
    states = member_states()
    countries = [state.iso for state in states]
    weights = [state.population_millions for state in states]
    site_language = {state.iso: state.site_language for state in states}
    boxes = _boxes(petition, countries, per_country=40 if count >= 100_000 else 4)
    sealed_at = time.perf_counter()
    key_id = current_key().key_id
    domain_hashes = [domain_hash(d) for d in DOMAINS]
    sources = [hashlib.sha256(f"net{n}".encode()).hexdigest()[:32] for n in range(5000)]
    now = timezone.now()
    rng = random.Random(1)

    fields = [f for f in Signature._meta.concrete_fields if not f.primary_key]
    columns = [str(f.column) for f in fields]  # a concrete field always has one
    constant = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.null is False or f.has_default()
    }
    vendor = connection.vendor

    def stamp(value: datetime) -> Any:
        # SQLite keeps naive UTC text, as Django writes it; PostgreSQL takes the datetime.
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if vendor == "sqlite" else value

    def rows() -> Any:
        picks = rng.choices(countries, weights, k=count)
        for i, country in enumerate(picks):
            created = now - timedelta(seconds=rng.randint(3600, 30 * 86400))
            listed = rng.random() < 0.4
            values = dict(constant)
            values.update(
                petition_id=petition.pk,
                kind=Signature.Kind.INDIVIDUAL,
                country=country,
                language=site_language[country],
                created_at=stamp(created),
                confirmed_at=stamp(created + timedelta(minutes=rng.randint(1, 600))),
                sealed=rng.choice(boxes[country]),
                key_id=key_id,
                email_hash=email_hash(f"m{i}x{rng.randrange(10**6)}@{DOMAINS[i % 20]}"),
                token_hash=None,
                source_hash=rng.choice(sources),
                email_domain_hash=domain_hashes[i % 20],
                listed=listed,
                public_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}" if listed else "",
                review="",
                widget_key="",
            )
            for f in fields:
                values.setdefault(f.attname, None)
            yield [values[f.attname] for f in fields]

    table = Signature._meta.db_table
    with transaction.atomic():
        if vendor == "postgresql":
            raw = connection.connection
            with raw.cursor() as cursor:
                copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.copy(copy_sql) as copy:
                    for row in rows():
                        copy.write_row(row)
        else:
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            batch: list[list[Any]] = []
            with connection.cursor() as cursor:
                for row in rows():
                    batch.append(row)
                    if len(batch) == 20_000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
    inserted_at = time.perf_counter()
    # What autovacuum (PostgreSQL) does on its own after a load this size; SQLite gets no
    # ANALYZE from reclaim, so its planner runs on the data as it is in production.
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    done = time.perf_counter()
    return BulkLoad(
        rows=count,
        distinct_boxes=sum(len(b) for b in boxes.values()),
        seal_s=sealed_at - started,
        insert_s=inserted_at - sealed_at,
        vacuum_analyze_s=done - inserted_at if vendor == "postgresql" else 0.0,
        rows_per_s=count / (inserted_at - sealed_at),
    )


def aggregate() -> Aggregation:
    """Aggregation catch-up: the first run over the loaded rows, then a steady-state run."""
    from django.core.cache import cache

    from reclaim.letters.counting import aggregate_counts
    from reclaim.letters.models import CountryCount, Petition

    petition = Petition.objects.get(slug=MILLION_SLUG)
    cache.clear()
    started = time.perf_counter()
    aggregate_counts([petition.pk])
    first = time.perf_counter() - started
    started = time.perf_counter()
    aggregate_counts([petition.pk])
    second = time.perf_counter() - started
    started = time.perf_counter()
    petitions = aggregate_counts()
    every = time.perf_counter() - started
    total = sum(CountryCount.objects.filter(petition=petition).values_list("count", flat=True))
    return Aggregation(
        catch_up_s=first, again_s=second, all_petitions_s=every, petitions=petitions, total=total
    )


def export(key_file: str, passphrase: str, out: str) -> Export:
    from reclaim.letters.export import export_csv
    from reclaim.letters.models import Petition

    petition = Petition.objects.get(slug=MILLION_SLUG)
    data = Path(key_file).read_bytes()
    started = time.perf_counter()
    with open(out, "w", encoding="utf-8", newline="") as handle:
        result = export_csv(petition, data, passphrase, handle, ACTOR)
    elapsed = time.perf_counter() - started
    return Export(
        written=result.written,
        other_key=result.other_key,
        unreadable=result.unreadable,
        seconds=elapsed,
        rows_per_s=result.written / elapsed if elapsed else 0.0,
        bytes=os.path.getsize(out),
    )


def purge() -> Purge:
    """Close the million petition past its retention date, then run the retention rule."""
    from django.utils import timezone

    from reclaim.letters.models import Petition
    from reclaim.letters.retention import purge_due_petitions

    now = timezone.now()
    petition = Petition.objects.get(slug=MILLION_SLUG)
    Petition.objects.filter(pk=petition.pk).update(
        status=Petition.Status.CLOSED,
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=petition.retention_days + 1),
    )
    started = time.perf_counter()
    purged = purge_due_petitions(ACTOR)
    elapsed = time.perf_counter() - started
    from reclaim.letters.models import Signature

    wiped = Signature.objects.filter(
        petition=petition, personal_data_deleted_at__isnull=False
    ).count()
    left = Signature.objects.filter(petition=petition, sealed__isnull=False).count()
    return Purge(
        petitions=purged,
        wiped=wiped,
        left_with_data=left,
        seconds=elapsed,
        rows_per_s=wiped / elapsed if elapsed else 0.0,
    )


def confirm_rows(slug: str) -> ConfirmedRows:
    """Confirm every unconfirmed row of a petition directly (setting up a later phase)."""
    from django.utils import timezone

    from reclaim.letters.models import Signature

    n = Signature.objects.filter(petition__slug=slug, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    return ConfirmedRows(confirmed=n)


def discard_mail() -> DiscardedMail:
    from django_tasks_db.models import DBTaskResult

    from reclaim.mail.models import OutgoingMail

    mails, _ = OutgoingMail.objects.all().delete()
    tasks, _ = DBTaskResult.objects.all().delete()
    return DiscardedMail(mails=mails, tasks=tasks)


# --- Crash checks ---------------------------------------------------------------------


def crashcheck(accepted_file: str, confirmed_file: str, mailed_file: str) -> CrashCheck:
    """After the kill and restart: is every accepted signature there, none twice, every
    acknowledged confirmation kept, every signer mailed, and do the counts match the rows?"""
    from django.db.models import Count

    from reclaim.letters.counting import aggregate_counts
    from reclaim.letters.models import CountryCount, Petition, Signature
    from reclaim.lib.emailhash import email_hash
    from reclaim.mail.models import OutgoingMail

    petition = Petition.objects.get(slug=PETITION_SLUG)
    accepted = json.loads(Path(accepted_file).read_text())
    confirmed = json.loads(Path(confirmed_file).read_text())
    mailed = set(json.loads(Path(mailed_file).read_text()))
    rows = Signature.objects.filter(petition=petition)
    by_hash = dict(rows.values_list("email_hash", "confirmed_at"))
    missing = [e for e in accepted if email_hash(e) not in by_hash]
    unconfirmed = [e for e in confirmed if by_hash.get(email_hash(e)) is None]
    accepted_hashes = {email_hash(e) for e in accepted}
    duplicates = rows.values("email_hash").annotate(n=Count("id")).filter(n__gt=1).count()
    not_mailed = [e for e in accepted if e not in mailed]
    outbox_left = OutgoingMail.objects.count()
    # Counts: the scheduler's last aggregation, and a fresh one, against the rows.
    per_country_rows = dict(
        rows.counted().values_list("country").annotate(n=Count("id")).values_list("country", "n")
    )
    stored = dict(CountryCount.objects.filter(petition=petition).values_list("country", "count"))
    aggregate_counts([petition.pk])
    fresh = dict(CountryCount.objects.filter(petition=petition).values_list("country", "count"))
    fresh = {c: n for c, n in fresh.items() if n}
    return CrashCheck(
        accepted=len(accepted),
        rows=len(by_hash),
        missing=len(missing),
        missing_examples=missing[:5],
        rows_without_success_response=len(set(by_hash) - accepted_hashes),
        duplicates=duplicates,
        confirm_acknowledged=len(confirmed),
        confirm_lost=len(unconfirmed),
        not_mailed=len(not_mailed),
        outbox_left=outbox_left,
        counted_rows=sum(per_country_rows.values()),
        aggregated_by_scheduler=sum(stored.values()),
        aggregated_now=sum(fresh.values()),
        per_country_match=fresh == per_country_rows,
    )


COMMANDS: dict[str, Callable[[list[str]], Any]] = {
    "fixtures": lambda args: fixtures(),
    "status": lambda args: status(),
    "bulkload": lambda args: bulkload(int(args[0])),
    "aggregate": lambda args: aggregate(),
    "export": lambda args: export(args[0], args[1], args[2]),
    "purge": lambda args: purge(),
    "confirm_rows": lambda args: confirm_rows(args[0]),
    "discard_mail": lambda args: discard_mail(),
    "crashcheck": lambda args: crashcheck(args[0], args[1], args[2]),
}


def main() -> None:
    _django()
    name, args = sys.argv[1], sys.argv[2:]
    profile = os.environ.get("RECLAIM_BENCH_PROFILE", "")
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
        result = COMMANDS[name](args)
        profiler.stop()
        Path(profile).write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    else:
        result = COMMANDS[name](args)
    _emit(result)


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    main()
