"""How fast the task worker sends a backlog of confirmation mails (bench/findings.md, 3).

    python bench/mailrate.py [--mails 2000]

Signs ``--mails`` signatures in a fresh SQLite database (in a temporary directory, or the
PostgreSQL database of ``DATABASE_URL``, which must be empty), each queueing its
confirmation mail and enqueueing its worker nudge as in production, then runs
``db_worker --batch`` in this process until the queue is done, with mail going to files.
Prints the CPU time of both parts and the worker's rate in mails per CPU second.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=2000)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="reclaim-mailrate-"))
    (work / "mail").mkdir()
    os.environ["RECLAIM_DATA_DIR"] = str(work)
    os.environ["RECLAIM_BENCH_MAIL_DIR"] = str(work / "mail")
    os.environ["RECLAIM_TASK_BACKEND"] = "database"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    logging.disable(logging.INFO)  # the worker logs every task

    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from reclaim.keyring.services import create_key
    from reclaim.letters.models import Petition, Signature
    from reclaim.letters.services import SignerData, sign_petition
    from reclaim.mail.models import OutgoingMail

    call_command("migrate", verbosity=0)
    create_key("mailrate", "correct horse battery staple")
    petition = Petition.objects.create(
        slug="mailrate",
        title="Mail rate",
        text="Text.",
        status=Petition.Status.OPEN,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=60),
    )

    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(args.mails):
        data = SignerData(Signature.Kind.INDIVIDUAL, "Jane Doe", f"s{n}@example.org", "DE")
        sign_petition(petition, data, "en")
    sign_cpu, sign_wall = time.process_time() - cpu, time.perf_counter() - wall
    tasks = DBTaskResult.objects.count()

    time.sleep(1.1)  # let a nudge deferred to the end of the last second become due
    cpu, wall = time.process_time(), time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    worker_cpu, worker_wall = time.process_time() - cpu, time.perf_counter() - wall
    messages = sum(p.read_text().count("\nSubject: ") for p in (work / "mail").iterdir())

    print(
        json.dumps(
            {
                "mails": args.mails,
                "sign_cpu_s": round(sign_cpu, 2),
                "sign_wall_s": round(sign_wall, 2),
                "tasks_enqueued": tasks,
                "worker_cpu_s": round(worker_cpu, 2),
                "worker_wall_s": round(worker_wall, 2),
                "mails_sent": messages,
                "outbox_left": OutgoingMail.objects.count(),
                "mails_per_cpu_s": round(messages / worker_cpu, 1),
                "mails_per_wall_s": round(messages / worker_wall, 1),
                "data_dir": str(work),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
