"""The demo campaign behind `reclaim demo`: staff accounts, a key, a letter, a petition and
two citizens' initiatives (see ``eci.py``).

Every step is idempotent. Accounts are found by username, campaigns by slug and
signatures by their email hash, so a second run creates nothing new; it only sets fresh
passwords on the two demo accounts so that they can be printed again.

Signer data takes the real path through sealing and email hashing, so exports and the
retention job behave as they would on live data. It does not take the outbox: the demo
sends no mail, and the invented signatures are stored as already confirmed.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from reclaim.accounts.roles import MODERATOR, ORGANISER, sync_roles
from reclaim.audit.services import record
from reclaim.core.demo import content
from reclaim.core.demo.eci import InitiativeReport, load_initiatives
from reclaim.keyring.models import PublicKey
from reclaim.keyring.services import create_key, current_key, parsed_public_key
from reclaim.letters.counting import aggregate_counts
from reclaim.letters.models import Petition, Signature
from reclaim.letters.services import SignerData
from reclaim.lib.emailhash import email_hash
from reclaim.lib.sealing import seal

ACTOR = "demo"
KEY_HOLDER = "European Digital Rights (EDRi)"
KEY_FILE = "demo-private-key.json"
PASSPHRASE_FILE = "demo-key-passphrase.txt"  # noqa: S105 (a file name, not a secret)
STAFF = (("organiser", ORGANISER), ("moderator", MODERATOR))
DEFAULT_SIGNATURES = 3000
BATCH_SIZE = 500


def load_organisations() -> list[dict[str, Any]]:
    """The coalition as listed on the campaign pages (see organisations.json)."""
    path = Path(__file__).with_name("organisations.json")
    return json.loads(path.read_text(encoding="utf-8"))["organisations"]


# --- Staff ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffAccount:
    username: str
    role: str
    password: str
    created: bool


def ensure_staff() -> list[StaffAccount]:
    """The organiser and the moderator, with a fresh random password on every run."""
    sync_roles()
    user_model = get_user_model()
    accounts = []
    for username, role in STAFF:
        user, created = user_model.objects.get_or_create(username=username)
        password = secrets.token_urlsafe(12)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        accounts.append(StaffAccount(username, role, password, created))
    return accounts


# --- Key ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoKey:
    key_id: str
    holder: str
    created: bool
    key_file: Path
    passphrase_file: Path
    # False when an active key existed before and the files beside it are not its own:
    # then the demo data is sealed to that key and only its holder can read it.
    files_match: bool


def _write_secret(path: Path, data: bytes) -> None:
    """Write a file that only the owner can read, replacing any earlier one."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _key_id_in_file(path: Path) -> str | None:
    try:
        return json.loads(path.read_bytes()).get("key_id")
    except (OSError, ValueError, AttributeError):
        return None


def ensure_key(data_dir: Path) -> DemoKey:
    """Create a demo key pair unless a key is active; its private half goes to data_dir."""
    key_file, passphrase_file = data_dir / KEY_FILE, data_dir / PASSPHRASE_FILE
    active = PublicKey.objects.active().first()
    if active is not None:
        matches = passphrase_file.exists() and _key_id_in_file(key_file) == active.key_id
        return DemoKey(active.key_id, active.holder, False, key_file, passphrase_file, matches)
    passphrase = secrets.token_urlsafe(24)
    pair = create_key(KEY_HOLDER, passphrase, actor=ACTOR)
    data_dir.mkdir(parents=True, exist_ok=True)
    _write_secret(key_file, pair.private_file)
    _write_secret(passphrase_file, f"{passphrase}\n".encode())
    return DemoKey(pair.key_id, KEY_HOLDER, True, key_file, passphrase_file, True)


# --- Campaigns ------------------------------------------------------------------------


def ensure_letter() -> tuple[Petition, bool]:
    text = content.LETTER
    return Petition.objects.get_or_create(
        slug=text.slug,
        defaults={
            "kind": Petition.Kind.LETTER,
            "title": text.title,
            "summary": text.summary,
            "text": text.text,
            "recipients": text.recipients,
            "language": "en",
            "goal": 100,
            "opens_at": content.LETTER_PUBLISHED,
            "closes_at": content.LETTER_CLOSES,
            "status": Petition.Status.CLOSED,
            "allows_organisations": True,
            "allows_individuals": True,
            "retention_days": content.LETTER_RETENTION_DAYS,
        },
    )


def ensure_petition(now: datetime) -> tuple[Petition, bool]:
    text = content.PETITION
    return Petition.objects.get_or_create(
        slug=text.slug,
        defaults={
            "kind": Petition.Kind.PETITION,
            "title": text.title,
            "summary": text.summary,
            "text": text.text,
            "language": "en",
            "goal": content.PETITION_GOAL,
            "milestones": content.PETITION_MILESTONES,
            "opens_at": now - timedelta(days=content.PETITION_OPENED_DAYS_AGO),
            "closes_at": now + timedelta(days=content.PETITION_RUNS_ON_DAYS),
            "status": Petition.Status.OPEN,
            "allows_organisations": True,
            "allows_individuals": True,
        },
    )


# --- Signers --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSigner:
    data: SignerData
    language: str
    created_at: datetime
    confirmed_at: datetime | None


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _org_email(name: str) -> str:
    return f"{slugify(name)[:60] or 'organisation'}@example.org"


def _organisation(
    name: str, country: str, website: str, created_at: datetime, language: str = "en"
) -> DemoSigner:
    # No contact person: an invented name next to a real organisation could be taken
    # for a real member of its staff.
    data = SignerData(
        kind=Signature.Kind.ORGANISATION,
        name=name,
        email=_org_email(name),
        country=country,
        website=website,
        listed=True,
    )
    return DemoSigner(data, language, created_at, created_at + timedelta(minutes=20))


def letter_signers() -> tuple[list[DemoSigner], list[str]]:
    """The letter's co-signing organisations and a few invented experts.

    Returns the signers and the names left out because their seat is unknown: a
    signature needs a country, and a guessed one would be a false fact."""
    start = content.LETTER_PUBLISHED
    signers, skipped = [], []
    for n, cosigner in enumerate(content.LETTER_COSIGNERS):
        if cosigner.country is None:
            skipped.append(cosigner.name)
            continue
        # They had all signed before publication: a few minutes apart on the morning.
        at = start - timedelta(hours=6) + timedelta(minutes=5 * n)
        signers.append(_organisation(cosigner.name, cosigner.country, cosigner.website, at))
    for n, (listed_name, country) in enumerate(content.LETTER_PEOPLE):
        at = start + timedelta(days=1 + 2 * n, hours=3)
        data = SignerData(
            kind=Signature.Kind.INDIVIDUAL,
            name=listed_name,
            email=f"expert.{_ascii(listed_name.split(',')[0])}@example.org",
            country=country,
            listed=True,
        )
        signers.append(DemoSigner(data, "en", at, at + timedelta(hours=1)))
    return signers, skipped


def coalition_signers(opens_at: datetime) -> list[DemoSigner]:
    """Coalition members co-sign the petition during its first days (seat known only)."""
    signers = []
    for n, org in enumerate(load_organisations()):
        if not org.get("country"):
            continue
        at = opens_at + timedelta(hours=2 + 3 * n)
        signers.append(_organisation(org["name"], org["country"], org.get("website", ""), at))
    return signers


def _person(rng: random.Random, country: str, email_key: str) -> tuple[str, str]:
    pool = content.NAMES[country]
    woman = rng.random() < 0.5
    first = rng.choice(pool.women if woman else pool.men)
    last = rng.choice(pool.surnames_for(woman))
    return f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}.{email_key}@example.org"


def petition_signers(
    count: int, pending: int, opens_at: datetime, now: datetime
) -> Iterator[DemoSigner]:
    """Invented people from all 27 member states.

    Signer *i* is drawn from a generator seeded with *i* alone, so the same index always
    gives the same person (and email hash) whatever the total: a rerun, even with a
    larger count, adds only the people who are missing. The first 27 cover one member
    state each; the rest follow the population.
    """
    countries = list(content.EU_POPULATION)
    weights = list(content.EU_POPULATION.values())
    span = (now - opens_at).total_seconds()
    for i in range(count):
        rng = random.Random(f"reclaim-demo-signer-{i}")
        country = countries[i] if i < len(countries) else rng.choices(countries, weights)[0]
        name, email = _person(rng, country, f"{i:05d}")
        listed = rng.random() < 0.4
        comment = rng.choice(content.COMMENTS) if rng.random() < 0.06 else ""
        # More signatures in the first weeks after launch, then a steady trickle.
        created_at = opens_at + timedelta(seconds=span * rng.random() ** 1.6)
        confirmed_at = min(created_at + timedelta(minutes=rng.randint(1, 600)), now)
        data = SignerData(
            kind=Signature.Kind.INDIVIDUAL,
            name=name,
            email=email,
            country=country,
            comment=comment,
            listed=listed,
            newsletter=rng.random() < 0.3,
        )
        language = content.SITE_LANGUAGE.get(country, "en")
        yield DemoSigner(data, language, created_at, confirmed_at)
    # A few who have not clicked their link yet. They are recent, as unconfirmed
    # signatures older than the confirmation window are deleted by the retention job.
    for j in range(pending):
        rng = random.Random(f"reclaim-demo-pending-{j}")
        country = rng.choices(countries, weights)[0]
        name, email = _person(rng, country, f"p{j:03d}")
        data = SignerData(kind=Signature.Kind.INDIVIDUAL, name=name, email=email, country=country)
        created_at = now - timedelta(minutes=rng.randint(5, 36 * 60))
        yield DemoSigner(data, content.SITE_LANGUAGE.get(country, "en"), created_at, None)


def _signature(petition: Petition, signer: DemoSigner, key: PublicKey, hashed: str) -> Signature:
    data = signer.data
    is_org = data.kind == Signature.Kind.ORGANISATION
    return Signature(
        petition=petition,
        kind=data.kind,
        country=data.country,
        language=signer.language,
        created_at=signer.created_at,
        confirmed_at=signer.confirmed_at,
        sealed=seal(parsed_public_key(key.public_pem), data.sealed_payload(), petition.context()),
        key_id=key.key_id,
        email_hash=hashed,
        listed=data.listed,
        public_name=data.name if data.listed else "",
        public_website=data.website if is_org else "",
        review=Signature.Review.APPROVED if is_org else Signature.Review.NOT_NEEDED,
    )


def add_signatures(petition: Petition, signers: Iterable[DemoSigner]) -> int:
    """Insert the signers that are not there yet, sealed to the current key. Returns how
    many were added."""
    key = current_key()
    existing = set(
        Signature.objects.filter(petition=petition, email_hash__isnull=False).values_list(
            "email_hash", flat=True
        )
    )
    rows = []
    for signer in signers:
        hashed = email_hash(signer.data.email)
        if hashed in existing:
            continue
        existing.add(hashed)
        rows.append(_signature(petition, signer, key, hashed))
    if rows:
        with transaction.atomic():
            Signature.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            record(ACTOR, "demo.load", target=f"petition:{petition.pk}", count=len(rows))
    return len(rows)


# --- All together ---------------------------------------------------------------------


@dataclass
class CampaignReport:
    petition: Petition
    created: bool
    added: int
    confirmed: int = 0
    pending: int = 0
    countries: int = 0


@dataclass
class DemoReport:
    staff: list[StaffAccount]
    key: DemoKey
    campaigns: list[CampaignReport] = field(default_factory=list)
    skipped_cosigners: list[str] = field(default_factory=list)
    initiatives: list[InitiativeReport] = field(default_factory=list)


def load_demo(data_dir: Path, signatures: int = DEFAULT_SIGNATURES) -> DemoReport:
    now = timezone.now()
    report = DemoReport(staff=ensure_staff(), key=ensure_key(data_dir))

    letter, created = ensure_letter()
    signers, report.skipped_cosigners = letter_signers()
    report.campaigns.append(CampaignReport(letter, created, add_signatures(letter, signers)))

    petition, created = ensure_petition(now)
    added = add_signatures(petition, coalition_signers(petition.opens_at))
    pending = max(3, signatures // 200)
    people = petition_signers(signatures, pending, petition.opens_at, now)
    added += add_signatures(petition, people)
    report.campaigns.append(CampaignReport(petition, created, added))

    aggregate_counts([c.petition.pk for c in report.campaigns])
    for campaign in report.campaigns:
        rows = Signature.objects.filter(petition=campaign.petition)
        counted = rows.counted()
        campaign.confirmed = counted.count()
        campaign.pending = rows.filter(confirmed_at__isnull=True).count()
        campaign.countries = counted.values("country").distinct().count()

    partners = {org["name"] for org in load_organisations()}
    report.initiatives = load_initiatives(now, partners)
    return report
