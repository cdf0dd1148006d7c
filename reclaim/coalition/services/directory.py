"""The public directory of the coalition: who is listed, in what order, and the organisers'
writes around it (approving a profile, a new logo, matching a letter's co-signature to a
directory entry).

Listed means a member whose profile organisers approved. The directory reads a list of
plain entries per language, sorted by the Unicode Collation Algorithm (pyuca): a plain sort
puts "epicenter.works" after "Z" and "Österreich" after everything. The list is kept in the
process (see ``_entries``) and filtered and searched in Python: a thousand entries are
searched in about a millisecond, and no visitor's text reaches SQL.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from pyuca import Collator  # type: ignore[import-untyped]

from reclaim.audit.services import record
from reclaim.coalition.models import CoSignatureLink, Description, Organisation
from reclaim.letters.models import Petition, Signature
from reclaim.lib.processcache import ProcessCache

# Listed in the public directory: a member whose profile organisers approved.
LISTED = Q(status=Organisation.Status.MEMBER, profile_approved_at__isnull=False)
# Value of the country filter for organisations that work internationally (blank country).
INTERNATIONAL = "international"
TIER_ORDER = [Organisation.Tier.LEAD, Organisation.Tier.PARTNER, Organisation.Tier.SUPPORTER]
# A few words, a name, an acronym: longer is not a search.
MAX_QUERY = 100


def listed_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(LISTED)


# --- Collation and search ---------------------------------------------------------------


@cache
def _collator() -> Collator:
    # Reading the collation table takes about a second: once per process, on first use.
    return Collator()


@lru_cache(maxsize=8192)
def collation_key(text: str) -> tuple[int, ...]:
    """The sort key of a name by the Unicode Collation Algorithm's default table (DUCET).

    That table is the collation CLDR gives English, German (its standard, not phonebook,
    order) and French, the site's languages: one key serves every language. A language with
    a tailored order (Swedish's å after z, say) would need ICU; pyuca has no tailorings.
    Pure, so memoised: names repeat across languages and rebuilds."""
    return tuple(_collator().sort_key(text))


def sort_by_name(items: Iterable[Any], name: Any = lambda item: item.name) -> list[Any]:
    return sorted(items, key=lambda item: (collation_key(name(item)), name(item)))


@lru_cache(maxsize=16384)
def folded(text: str) -> str:
    """Text as a search compares it: case and accents dropped, spaces collapsed, so that
    "osterreich" finds "Österreich" and "EDRI" finds "EDRi"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip()


# --- The directory's entries ------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One listed organisation as the directory shows it in one language."""

    pk: int
    slug: str
    name: str
    country: str
    country_name: str
    tier: str
    kind: str
    kind_label: str
    description: str
    logo_version: str
    haystack: str

    def matches(self, words: list[str]) -> bool:
        return all(word in self.haystack for word in words)


# Every directory page needs the sorted list of a language: kept a minute per process
# instead of two queries and a thousand collation keys per request (75 ms at a thousand
# organisations, 150 ms before the keys are memoised; the page renders in 45 ms from it).
# Cleared at once in the process where an organisation or a description is saved or
# deleted (the admin, a partner's approved edit); other processes show the change within
# the minute. The bound is the number of languages, with room.
_entries = ProcessCache[list[Entry]]("coalition-directory", maxsize=16, seconds=60)
_entries.clear_on_change(Organisation)
_entries.clear_on_change(Description)


def directory_entries(language: str | None = None) -> list[Entry]:
    """Every listed organisation, sorted by name for the language (two queries on a miss)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return _entries.get(language, lambda: _load_entries(language))


def _load_entries(language: str) -> list[Entry]:
    organisations = (
        listed_organisations()
        .only("pk", "slug", "name", "country", "tier", "kind", "logo_version")
        .prefetch_related(
            Prefetch(
                "descriptions",
                queryset=Description.objects.filter(language=language).only(
                    "organisation_id", "text"
                ),
                to_attr="described",
            )
        )
    )
    kinds = dict(Organisation.Kind.choices)
    entries = []
    with translation.override(language):
        for organisation in organisations:
            described = getattr(organisation, "described", [])
            description = described[0].text if described else ""
            code = str(organisation.country or "")
            country_name = str(countries.name(code)) if code else str(_("International"))
            entries.append(
                Entry(
                    pk=organisation.pk,
                    slug=organisation.slug,
                    name=organisation.name,
                    country=code,
                    country_name=country_name,
                    tier=organisation.tier,
                    kind=organisation.kind,
                    kind_label=str(kinds.get(organisation.kind, organisation.kind)),
                    description=description,
                    logo_version=organisation.logo_version,
                    haystack=folded(f"{organisation.name} {description}"),
                )
            )
    return sort_by_name(entries)


def forget_directory() -> None:
    """For writes that bypass save() (``update()``): the next page reads the list again."""
    _entries.clear()


def search(entries: list[Entry], query: str) -> list[Entry]:
    """The entries whose name or description (in the list's language) holds every word."""
    words = folded(query).split()
    if not words:
        return entries
    return [entry for entry in entries if entry.matches(words)]


def filter_entries(
    entries: list[Entry], *, country: str = "", kind: str = "", query: str = ""
) -> list[Entry]:
    if country == INTERNATIONAL:
        entries = [entry for entry in entries if not entry.country]
    elif country:
        entries = [entry for entry in entries if entry.country == country]
    if kind:
        entries = [entry for entry in entries if entry.kind == kind]
    return search(entries, query)


def by_tier(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """The entries per tier, lead organisations first, each tier still sorted by name."""
    return [(tier, [entry for entry in entries if entry.tier == tier]) for tier in TIER_ORDER]


def country_options(entries: list[Entry]) -> list[tuple[str, str]]:
    """The countries of the listed organisations (value, name), sorted by name, and
    "international" first when some organisation has no country."""
    present = {entry.country: entry.country_name for entry in entries if entry.country}
    options = sort_by_name(present.items(), name=lambda item: item[1])
    if any(not entry.country for entry in entries):
        options.insert(0, (INTERNATIONAL, str(_("International"))))
    return options


def kind_options(entries: list[Entry]) -> list[tuple[str, str]]:
    present = {entry.kind for entry in entries}
    return [(value, str(label)) for value, label in Organisation.Kind.choices if value in present]


# --- One organisation's page ------------------------------------------------------------


@dataclass(frozen=True)
class ShownDescription:
    text: str
    language: str
    # True when the visitor's language had none and another is shown in its place.
    fallback: bool


def description_for(organisation: Organisation, language: str) -> ShownDescription | None:
    """The description in the visitor's language; failing that, in the site's default
    language, then in the first language the site lists that has one."""
    texts = {d.language: d.text for d in organisation.descriptions.all()}
    if language in texts:
        return ShownDescription(texts[language], language, fallback=False)
    order = [settings.LANGUAGE_CODE] + [code for code, _name in settings.LANGUAGES]
    for code in order:
        if code in texts:
            return ShownDescription(texts[code], code, fallback=True)
    return None


def cosigned_letters(organisation: Organisation) -> list[Petition]:
    """The petitions and letters it co-signed: matched by an organiser, the signature
    confirmed and not invalidated, the petition published."""
    links = (
        CoSignatureLink.objects.filter(organisation=organisation)
        .filter(signature__confirmed_at__isnull=False)
        .filter(signature__invalidated_at__isnull=True)
        .exclude(signature__petition__status=Petition.Status.DRAFT)
        .select_related("signature__petition")
        .order_by("-signature__petition__opens_at", "-signature__petition_id")
    )
    seen: dict[int, Petition] = {}
    for link in links:
        seen.setdefault(link.signature.petition_id, link.signature.petition)
    return list(seen.values())


def campaigns(organisation: Organisation) -> dict[str, list[Any]]:
    return {
        "petitions": list(
            organisation.petitions.exclude(status=Petition.Status.DRAFT).order_by("-opens_at")
        ),
        "initiatives": list(organisation.initiatives.order_by("-registered_on", "-pk")),
    }


# --- Organisers' writes -----------------------------------------------------------------


def approve_profile(organisation: Organisation, actor: Any) -> bool:
    """Approve the organisation's profile, so that a member is listed. False when it was
    approved already (nothing changes, nothing is recorded)."""
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.profile_approved_at is not None:
            return False
        locked.profile_approved_at = timezone.now()
        locked.save(update_fields=["profile_approved_at", "updated_at"])
        record(actor, "coalition.profile_approve", target=f"organisation {locked.slug}")
    organisation.profile_approved_at = locked.profile_approved_at
    return True


def logo_version(content: bytes) -> str:
    """The logo's version in its URL: from its bytes, so a new logo is a new URL and the
    same logo uploaded again keeps the cached one."""
    return hashlib.sha256(content).hexdigest()[:12]


def store_logo(organisation: Organisation, content: bytes, content_type: str, actor: Any) -> None:
    """Keep a logo already re-encoded by ``services.logos.process_logo``."""
    with transaction.atomic():
        organisation.logo = content
        organisation.logo_type = content_type
        organisation.logo_version = logo_version(content)
        organisation.save(update_fields=["logo", "logo_type", "logo_version", "updated_at"])
        record(
            actor,
            "coalition.logo_change",
            target=f"organisation {organisation.slug}",
            version=organisation.logo_version,
        )


def remove_logo(organisation: Organisation, actor: Any) -> None:
    with transaction.atomic():
        organisation.logo = None
        organisation.logo_type = ""
        organisation.logo_version = ""
        organisation.save(update_fields=["logo", "logo_type", "logo_version", "updated_at"])
        record(actor, "coalition.logo_change", target=f"organisation {organisation.slug}")


# --- Co-signatures of letters -----------------------------------------------------------


def unlinked_cosignatures() -> QuerySet[Signature]:
    """Confirmed, valid signatures of organisations that no organiser has matched yet."""
    return (
        Signature.objects.filter(kind=Signature.Kind.ORGANISATION)
        .filter(confirmed_at__isnull=False)
        .filter(invalidated_at__isnull=True)
        .filter(coalition_link__isnull=True)
        .select_related("petition")
        .order_by("-confirmed_at", "-id")
    )


# Below this, a suggestion is noise; the organiser can still name the entry by its address.
SUGGESTION_THRESHOLD = 0.6
SUGGESTIONS = 3


@lru_cache(maxsize=8192)
def _acronyms(name: str) -> frozenset[str]:
    """ "European Digital Rights (EDRi)" → {"edri"}: what a signer often writes instead."""
    return frozenset(folded(found) for found in re.findall(r"\(([^()]{2,20})\)", name))


@lru_cache(maxsize=8192)
def _comparable(name: str) -> str:
    return re.sub(r"[^\w ]+", " ", folded(re.sub(r"\([^()]*\)", " ", name))).strip()


def similarity(
    signed_name: str, entry_name: str, matcher: difflib.SequenceMatcher[str] | None = None
) -> float:
    """How alike a co-signer's name and a directory entry's name are, 0 to 1 (below the
    suggestion threshold, an upper bound: the exact ratio is not worth computing)."""
    signed, entry = folded(signed_name), folded(entry_name)
    if not signed or not entry:
        return 0.0
    if signed == entry:
        return 1.0
    if signed in _acronyms(entry_name) or entry in _acronyms(signed_name):
        return 0.95
    left, right = _comparable(signed_name), _comparable(entry_name)
    # A matcher set to one co-signer's name (its second sequence) is reused across the
    # entries: difflib indexes the second sequence once.
    if matcher is None:
        matcher = difflib.SequenceMatcher(None, right, left)
    else:
        matcher.set_seq1(right)
    if left and right and (left in right or right in left):
        return max(matcher.ratio(), 0.8)
    # The cheap upper bounds first: the matching page compares every waiting signature
    # with every entry, fifty by a thousand.
    bound = matcher.quick_ratio()
    if bound < SUGGESTION_THRESHOLD:
        return bound
    return matcher.ratio()


def suggest(signed_name: str, organisations: list[Organisation]) -> list[Organisation]:
    """The directory entries most like the co-signer's name, best first: suggestions for an
    organiser, never a match made on its own (two groups may share a name)."""
    matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(None)
    matcher.set_seq2(_comparable(signed_name))
    scored = [(similarity(signed_name, org.name, matcher), org) for org in organisations]
    scored = [(score, org) for score, org in scored if score >= SUGGESTION_THRESHOLD]
    scored.sort(key=lambda pair: -pair[0])
    return [org for _score, org in scored[:SUGGESTIONS]]


def link_cosignature(
    signature: Signature, organisation: Organisation, actor: Any
) -> CoSignatureLink:
    """Record that an organisation's co-signature is the directory entry's, as an organiser
    confirmed. Refuses what is not a confirmed, valid organisation's signature, and a
    signature linked already."""
    with transaction.atomic():
        locked = Signature.objects.select_for_update().get(pk=signature.pk)
        if locked.kind != Signature.Kind.ORGANISATION:
            raise ValidationError(_("Only an organisation's signature can be linked."))
        if locked.confirmed_at is None or locked.invalidated_at is not None:
            raise ValidationError(_("Only a confirmed, valid signature can be linked."))
        if CoSignatureLink.objects.filter(signature=locked).exists():
            raise ValidationError(_("This signature is linked already."))
        try:
            with transaction.atomic():
                link = CoSignatureLink.objects.create(
                    signature=locked,
                    organisation=organisation,
                    confirmed_by=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError as error:
            raise ValidationError(_("This signature is linked already.")) from error
        record(
            actor,
            "coalition.cosignature_link",
            target=f"signature {locked.pk}",
            organisation=organisation.slug,
            petition=locked.petition_id,
        )
    return link


def unlink_cosignature(link: CoSignatureLink, actor: Any) -> None:
    with transaction.atomic():
        deleted, _rows = CoSignatureLink.objects.filter(pk=link.pk).delete()
        if deleted:
            record(
                actor,
                "coalition.cosignature_unlink",
                target=f"signature {link.signature_id}",
                organisation=link.organisation.slug,
            )


def add_listed_organisation(
    *,
    name: str,
    slug: str,
    country: str,
    tier: str,
    kind: str,
    website: str,
    joined_on: Any,
    descriptions: dict[str, str],
    actor: Any,
) -> tuple[Organisation, bool]:
    """A member organisation with its descriptions, its profile approved: listed at once.
    For the demo and imports of a coalition that exists already; idempotent by slug (an
    existing entry is left as it is). Returns the organisation and whether it was added."""
    with transaction.atomic():
        organisation, created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "country": country,
                "tier": tier,
                "kind": kind,
                "website": website,
                "joined_on": joined_on,
                "status": Organisation.Status.MEMBER,
            },
        )
        if not created:
            return organisation, False
        Description.objects.bulk_create(
            Description(organisation=organisation, language=language, text=text)
            for language, text in descriptions.items()
        )
        forget_directory()
        approve_profile(organisation, actor)
    return organisation, True
