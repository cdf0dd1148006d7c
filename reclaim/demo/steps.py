"""What `reclaim demo` loads: each app's demo content, declared in its own ``demo.py``.

An app lists its :class:`Step` s as ``STEPS`` in its ``demo.py`` (``reclaim.core.hooks``).
The command runs them in ``INSTALLED_APPS`` order (the staff accounts and the sealing key
before the campaigns that need them), each with the same :class:`DemoContext`, and prints
what each one reports. A step goes through its app's services, as real use does, and is
idempotent: a second run adds only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from reclaim.core.hooks import Hook

# Who the audit log names for what the demo does through the services.
ACTOR = "demo"


@dataclass
class DemoContext:
    data_dir: Path
    now: datetime
    # Invented petition signatures to have (at least one per member state).
    signatures: int
    # What steps leave for later ones (the demo key's id, say), by name.
    shared: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    """What a step tells the person who ran the demo: a heading and lines under it."""

    title: str
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[DemoContext], Report]


STEPS = Hook[Step]("demo", "STEPS", key=lambda step: step.name)


@contextmanager
def mail_withheld() -> Iterator[None]:
    """Run a step's services in one transaction and take the mails they queued out of the
    outbox before it commits, so that no worker ever sees them: the demo sends no mail to
    the people it invents."""
    from reclaim.mail.models import OutgoingMail

    with transaction.atomic():
        before = OutgoingMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        yield
        OutgoingMail.objects.filter(pk__gt=before).delete()
