"""The coalition's directory in `reclaim demo`: the organisations of ``organisations.json``
(reclaim.demo.facts) as listed members, and a few of the open letter's co-signatures
matched to their entries, as an organiser would confirm them.

Lead organisations are the lead tier, campaign partners the partner tier; an organisation
that works internationally has no country. A few have a description of their own, in
the site's languages (one in two only, to show the fallback); the rest a short one built
from their kind and country.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any

from django.utils import translation
from django.utils.text import slugify
from django_countries import countries
from PIL import Image, ImageDraw, ImageFont

from reclaim.coalition.models import CoSignatureLink, Organisation
from reclaim.coalition.services.directory import (
    add_listed_organisation,
    link_cosignature,
    listed_organisations,
    store_logo,
)
from reclaim.coalition.services.logos import process_logo
from reclaim.demo import facts
from reclaim.demo.steps import ACTOR, DemoContext, Report
from reclaim.letters.models import Signature

TIERS = {"lead": Organisation.Tier.LEAD, "partner": Organisation.Tier.PARTNER}
# The campaign went public in October 2020; partners joined over the following months.
LAUNCH = date(2020, 10, 1)
# Co-signatures of the demo's letters matched to the directory: a couple, not all, so
# that the organisers' matching page has work left.
LINKED = ("European Digital Rights (EDRi)", "Homo Digitalis", "Bits of Freedom", "Digitalcourage")

K = Organisation.Kind
KINDS: dict[str, str] = {
    "Access Now": K.DIGITAL_RIGHTS,
    "ARTICLE 19": K.HUMAN_RIGHTS,
    "European Digital Rights (EDRi)": K.NETWORK,
    "Civil Liberties Union for Europe (Liberties)": K.NETWORK,
    "All Out": K.HUMAN_RIGHTS,
    "Amnesty International": K.HUMAN_RIGHTS,
    "Ban Facial Recognition Europe": K.NETWORK,
    "Football Supporters Europe (FSE)": K.NETWORK,
    "JEF – Young European Federalists": K.NETWORK,
    "Fundación Secretariado Gitano (FSG)": K.HUMAN_RIGHTS,
    "Hellenic League for Human Rights": K.HUMAN_RIGHTS,
    "Irish Council for Civil Liberties (ICCL)": K.HUMAN_RIGHTS,
    "Ligue des droits de l'Homme (LDH)": K.HUMAN_RIGHTS,
    "Ligue des droits humains": K.HUMAN_RIGHTS,
    "Gesellschaft für Informatik (German Informatics Society)": K.ACADEMIC,
    "German ACM Chapter": K.ACADEMIC,
    "Science for Democracy": K.ACADEMIC,
    "UNI Europa": K.UNION,
    "Germanwatch": K.OTHER,
    "Stop Wapenhandel": K.OTHER,
    "Reporters United": K.OTHER,
    "Eumans": K.OTHER,
}

# Written for the demo, in our own words.
OWN_WORDS = {
    "European Digital Rights (EDRi)": {
        "en": "A Brussels-based network of digital-rights organisations from across Europe. "
        "It coordinates the coalition and follows the AI Act closely.",
        "de": "Ein Netzwerk von Digitalrechtsorganisationen aus ganz Europa mit Sitz in "
        "Brüssel. Es koordiniert das Bündnis und verfolgt den AI Act genau.",
        "fr": "Un réseau d'organisations de défense des droits numériques de toute l'Europe, "
        "basé à Bruxelles. Il coordonne la coalition et suit de près l'AI Act.",
    },
    "epicenter.works": {
        "en": "Austrian group defending fundamental rights online, from data retention to "
        "facial recognition.",
        "de": "Österreichische Gruppe, die Grundrechte im Netz verteidigt, von der "
        "Vorratsdatenspeicherung bis zur Gesichtserkennung.",
        "fr": "Groupe autrichien qui défend les droits fondamentaux en ligne, de la "
        "conservation des données à la reconnaissance faciale.",
    },
    "Homo Digitalis": {
        "en": "The first Greek organisation for digital rights, run largely by volunteers.",
        "de": "Die erste griechische Organisation für digitale Rechte, weitgehend "
        "ehrenamtlich getragen.",
        "fr": "La première organisation grecque de défense des droits numériques, portée "
        "surtout par des bénévoles.",
    },
    # English and French only: the German page says which language it shows instead.
    "La Quadrature du Net": {
        "en": "French association that documents surveillance technologies in cities and "
        "takes them to court.",
        "fr": "Association française qui documente les technologies de surveillance dans les "
        "villes et les conteste en justice.",
    },
    "Bits of Freedom": {
        "en": "Dutch digital-rights organisation working for freedom and privacy on the internet.",
        "de": "Niederländische Digitalrechtsorganisation, die sich für Freiheit und "
        "Privatsphäre im Internet einsetzt.",
        "fr": "Organisation néerlandaise de défense des droits numériques, pour la liberté et "
        "la vie privée sur Internet.",
    },
}

# Kinds and the generic sentence per language: demo content, not the site's interface.
KIND_WORDS: dict[str, dict[str, str]] = {
    "en": {
        K.DIGITAL_RIGHTS: "digital-rights group",
        K.HUMAN_RIGHTS: "human-rights group",
        K.NETWORK: "network",
        K.UNION: "union",
        K.PARTY: "political party",
        K.MEP: "Member of the European Parliament",
        K.ACADEMIC: "academic association",
        K.OTHER: "civil-society organisation",
    },
    "de": {
        K.DIGITAL_RIGHTS: "Digitalrechtsgruppe",
        K.HUMAN_RIGHTS: "Menschenrechtsgruppe",
        K.NETWORK: "Netzwerk",
        K.UNION: "Gewerkschaft",
        K.PARTY: "Partei",
        K.MEP: "Mitglied des Europäischen Parlaments",
        K.ACADEMIC: "wissenschaftliche Vereinigung",
        K.OTHER: "zivilgesellschaftliche Organisation",
    },
    "fr": {
        K.DIGITAL_RIGHTS: "groupe de défense des droits numériques",
        K.HUMAN_RIGHTS: "groupe de défense des droits humains",
        K.NETWORK: "réseau",
        K.UNION: "syndicat",
        K.PARTY: "parti politique",
        K.MEP: "membre du Parlement européen",
        K.ACADEMIC: "association scientifique",
        K.OTHER: "organisation de la société civile",
    },
}
GENERIC = {
    "en": (
        "A {kind} from {country}, part of the coalition.",
        "An international {kind}, part of the coalition.",
    ),
    "de": (
        "{kind} aus {country}, Teil des Bündnisses.",
        "Internationale {kind}, Teil des Bündnisses.",
    ),
    "fr": (
        "{kind} ({country}), membre de la coalition.",
        "{kind} international(e), membre de la coalition.",
    ),
}


# Demo logos: a monogram in one of the site's colours, drawn here (no real organisation's
# logo is copied into the demo), for the organisations with a description of their own.
LOGO_COLOURS = ("#5a1f8c", "#1e6b2e", "#005ea5", "#b35900", "#3f1670")


def _monogram(name: str, colour: str) -> bytes:
    image = Image.new("RGB", (240, 240), colour)
    draw = ImageDraw.Draw(image)
    letters = "".join([w[0].upper() for w in name.split() if w[0].isalnum()][:2])
    font = ImageFont.load_default(size=110)
    draw.text((120, 120), letters or "?", fill="#ffffff", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _logos() -> int:
    """Monograms for the organisations that have none yet, through the logo service, as an
    upload in the admin would go."""
    added = 0
    for n, organisation in enumerate(
        Organisation.objects.filter(name__in=OWN_WORDS, logo_version="").order_by("name")
    ):
        content, content_type = process_logo(
            io.BytesIO(_monogram(organisation.name, LOGO_COLOURS[n % len(LOGO_COLOURS)]))
        )
        store_logo(organisation, content, content_type, ACTOR)
        added += 1
    return added


def _scopes() -> dict[str, str]:
    """Each organisation's scope, which ``facts.Organisation`` does not carry."""
    data = json.loads((facts.DATA / "organisations.json").read_text(encoding="utf-8"))
    return {item["name"]: item.get("scope", "") for item in data["organisations"]}


def _generic(kind: str, country: str) -> dict[str, str]:
    texts = {}
    for language, (national, international) in GENERIC.items():
        word = KIND_WORDS[language][kind]
        if country:
            with translation.override(language):
                name = str(countries.name(country))
            text = national.format(kind=word, country=name)
        else:
            text = international.format(kind=word)
        texts[language] = text[0].upper() + text[1:]
    return texts


def organisations(context: DemoContext) -> Report:
    report = Report("Coalition directory")
    scopes = _scopes()
    added = 0
    partners = 0
    for known in facts.organisations():
        tier = TIERS.get(known.role, Organisation.Tier.SUPPORTER)
        international = scopes.get(known.name) == "international"
        country = "" if international or not known.country else str(known.country)
        kind = KINDS.get(known.name, K.DIGITAL_RIGHTS)
        if tier == Organisation.Tier.PARTNER:
            partners += 1
        joined = LAUNCH if tier == Organisation.Tier.LEAD else LAUNCH + timedelta(days=7 * partners)
        _organisation, created = add_listed_organisation(
            name=known.name,
            slug=slugify(known.name)[:80],
            country=country,
            tier=tier,
            kind=kind,
            website=known.website,
            joined_on=joined,
            descriptions=OWN_WORDS.get(known.name) or _generic(kind, country),
            actor=ACTOR,
        )
        added += created
    report.add(f"{added} organisations added, {listed_organisations().count()} listed in all.")
    logos = _logos()
    if logos:
        report.add(f"{logos} demo logos drawn.")
    linked = _link_cosignatures()
    if linked:
        report.add(
            f"{linked} co-signatures of the demo letter and petition matched to their entries."
        )
    return report


def _link_cosignatures() -> int:
    """Match a couple of the demo letters' co-signatures whose listed name is exactly the
    directory entry's, through the organisers' service."""
    linked = 0
    by_name: dict[str, Any] = {
        org.name: org for org in Organisation.objects.filter(name__in=LINKED)
    }
    waiting = (
        Signature.objects.filter(kind=Signature.Kind.ORGANISATION, public_name__in=LINKED)
        .filter(confirmed_at__isnull=False, invalidated_at__isnull=True)
        .exclude(pk__in=CoSignatureLink.objects.values("signature_id"))
    )
    for signature in waiting:
        organisation = by_name.get(signature.public_name)
        if organisation is not None:
            link_cosignature(signature, organisation, ACTOR)
            linked += 1
    return linked
