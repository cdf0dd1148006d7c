"""Bringing subscribers over from another tool: a CSV of addresses and consent dates.

Nobody is subscribed by an import. Each new address becomes a PENDING subscription (source
IMPORT, with the consent date the other tool recorded) and gets a confirmation mail; it
counts, and gets the newsletter, only once its owner confirms. An address already on the
list is left alone, and one that unsubscribed here (on the suppression list) is skipped:
only its owner can subscribe it again. The audit entry holds counts only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reclaim.audit.services import record
from reclaim.lib.forms import EmailAddressField
from reclaim.mail.services import queue_mail
from reclaim.newsletter.models import MailingList, Subscription, Suppression
from reclaim.newsletter.services.addresses import hash_address
from reclaim.newsletter.services.subscriptions import CONFIRM_MAIL, Subscriber, _pending

EMAIL_COLUMNS = ("email", "e-mail", "email_address", "address")
DATE_COLUMNS = ("consent_date", "consented_at", "consent", "date", "subscribed_at")
# Rows per transaction: a large import must not hold SQLite's only write lock for long.
IMPORT_TRANSACTION = 500


@dataclass
class ImportReport:
    """What an import did, as counts, and the rows it refused with their line numbers."""

    added: int = 0
    already_subscribed: int = 0
    suppressed: int = 0
    duplicates: int = 0
    invalid: list[tuple[int, Promise | str]] = field(default_factory=list)


class BadFile(ValueError):
    """The file has no header line naming an email and a consent date column."""

    def __init__(self, message: Promise | str) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Row:
    line: int
    email: str
    consent_at: datetime


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    folded = [name.strip().lower() for name in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def _consent(value: str) -> datetime | None:
    value = value.strip()
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            return None
        moment = datetime.combine(day, time(0, 0))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_csv(text: str, report: ImportReport) -> list[Row]:
    """The valid rows; each invalid one is added to the report with its line number."""
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise BadFile(_("The file is empty.")) from error
    email_at = _column(header, EMAIL_COLUMNS)
    date_at = _column(header, DATE_COLUMNS)
    if email_at is None or date_at is None:
        raise BadFile(
            _("The first line must name the columns: email and consent_date (or consented_at).")
        )
    checker = EmailAddressField()
    now = timezone.now()
    rows: list[Row] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) <= max(email_at, date_at):
                report.invalid.append((line, _("a column is missing")))
                continue
            try:
                email = checker.clean(values[email_at].strip())
            except ValidationError:
                report.invalid.append((line, _("not a valid email address")))
                continue
            if not email:
                report.invalid.append((line, _("no email address")))
                continue
            consent_at = _consent(values[date_at])
            if consent_at is None:
                report.invalid.append((line, _("no consent date, or not a date like 2024-05-31")))
                continue
            if consent_at > now:
                report.invalid.append((line, _("the consent date is in the future")))
                continue
            rows.append(Row(line, email, consent_at))
    except csv.Error as error:
        report.invalid.append((reader.line_num, _("the line cannot be read as CSV")))
        del error
    return rows


def import_subscribers(
    mailing_list: MailingList, text: str, actor: Any, language: str | None = None
) -> ImportReport:
    """Import the CSV ``text`` into ``mailing_list`` (see the module's docstring). The mails
    go in the list's language unless ``language`` is given. Raises BadFile for a file
    without the needed columns."""
    report = ImportReport()
    rows = parse_csv(text, report)
    language = language or mailing_list.language
    seen: set[str] = set()
    # Each transaction writes its own "newsletter.import" entry with its counts (the first
    # also counts the invalid lines), so the log matches what is stored even if a later
    # transaction fails. An empty file still leaves one entry.
    chunks = [rows[i : i + IMPORT_TRANSACTION] for i in range(0, len(rows), IMPORT_TRANSACTION)]
    for number, chunk in enumerate(chunks or [[]]):
        counts = ImportReport()
        hashed = [(hash_address(row.email), row) for row in chunk]
        hashes = [h for h, _row in hashed]
        with transaction.atomic():
            present = set(
                Subscription.objects.filter(
                    mailing_list=mailing_list, email_hash__in=hashes
                ).values_list("email_hash", flat=True)
            )
            suppressed = set(
                Suppression.objects.filter(
                    mailing_list=mailing_list, email_hash__in=hashes
                ).values_list("email_hash", flat=True)
            )
            for hash_, row in hashed:
                if hash_ in seen:
                    counts.duplicates += 1
                    continue
                seen.add(hash_)
                if hash_ in present:
                    counts.already_subscribed += 1
                    continue
                if hash_ in suppressed:
                    counts.suppressed += 1
                    continue
                subscription = _pending(
                    mailing_list,
                    Subscriber(email=row.email, language=language),
                    Subscription.Source.IMPORT,
                    imported_consent_at=row.consent_at,
                )
                subscription.save()
                queue_mail(CONFIRM_MAIL, row.email, language, subscription.pk)
                counts.added += 1
            record(
                actor,
                "newsletter.import",
                target=f"mailing_list:{mailing_list.pk}",
                count=counts.added,
                already_subscribed=counts.already_subscribed,
                suppressed=counts.suppressed,
                duplicates=counts.duplicates,
                invalid=len(report.invalid) if number == 0 else 0,
            )
        report.added += counts.added
        report.already_subscribed += counts.already_subscribed
        report.suppressed += counts.suppressed
        report.duplicates += counts.duplicates
    return report
