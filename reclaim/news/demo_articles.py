"""The newsroom in `reclaim demo`: three articles of the campaign's news, each in English,
German and French, with tags and author organisations from the coalition directory (the
coalition's demo step runs before this one). One translation lags: its source was edited
after it was translated, and only the German one was brought up to date since, as happens
when a correction comes in late.

The facts are those of the campaign's public news posts; the words are our own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reclaim.coalition.models import Organisation
from reclaim.demo.steps import ACTOR, DemoContext, Report
from reclaim.news.models import Article
from reclaim.news.services.articles import (
    create_article,
    edit_article,
    set_tag,
    translate_article,
    update_translation,
)

TAGS: dict[str, dict[str, str]] = {
    "european-parliament": {
        "en": "European Parliament",
        "de": "Europäisches Parlament",
        "fr": "Parlement européen",
    },
    "ai-act": {"en": "AI Act", "de": "KI-Verordnung", "fr": "Règlement sur l'IA"},
    "citizens-initiative": {
        "en": "Citizens' initiative",
        "de": "Bürgerinitiative",
        "fr": "Initiative citoyenne",
    },
    "facial-recognition": {
        "en": "Facial recognition",
        "de": "Gesichtserkennung",
        "fr": "Reconnaissance faciale",
    },
}


@dataclass(frozen=True)
class Version:
    slug: str
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class Story:
    author: str
    published_at: datetime
    tags: tuple[str, ...]
    versions: dict[str, Version]
    # An edit of the English source made after the translations, and the translations
    # brought up to it (the others lag behind it).
    late_edit: str = ""
    caught_up: dict[str, str] | None = None


STORIES = [
    Story(
        author="Access Now",
        published_at=datetime(2021, 2, 17, 9, 0, tzinfo=UTC),
        tags=("citizens-initiative", "facial-recognition"),
        versions={
            "en": Version(
                "citizens-initiative-launched",
                "A citizens' initiative to ban biometric mass surveillance",
                "The coalition opens a European Citizens' Initiative: a million signatures "
                "would make the Commission answer our demand for a ban.",
                "Today the coalition, with Access Now and EDRi among its organisers, starts "
                "a **European Citizens' Initiative** against biometric mass surveillance.\n\n"
                "## What we ask\n\n"
                "Governments, police forces and companies should no longer be allowed to "
                "capture the faces, the gait or other bodily features of everyone who "
                "passes through a park, a shopping centre or a railway station.\n\n"
                "## How the initiative works\n\n"
                "- We need one million signatures, collected within a year.\n"
                "- They must come from at least seven EU countries.\n"
                "- If we succeed, the Commission has to answer formally, and the European "
                "Parliament debates our demand.\n",
            ),
            "de": Version(
                "buergerinitiative-gestartet",
                "Eine Bürgerinitiative gegen biometrische Massenüberwachung",
                "Das Bündnis startet eine Europäische Bürgerinitiative: Eine Million "
                "Unterschriften verpflichten die Kommission, auf unsere Forderung nach "
                "einem Verbot zu antworten.",
                "Heute startet das Bündnis, zu dessen Organisatoren Access Now und EDRi "
                "gehören, eine **Europäische Bürgerinitiative** gegen biometrische "
                "Massenüberwachung.\n\n"
                "## Was wir fordern\n\n"
                "Regierungen, Polizei und Unternehmen sollen nicht länger Gesichter, Gang "
                "oder andere Körpermerkmale aller Menschen erfassen dürfen, die durch einen "
                "Park, ein Einkaufszentrum oder einen Bahnhof gehen.\n\n"
                "## So funktioniert die Initiative\n\n"
                "- Wir brauchen eine Million Unterschriften innerhalb eines Jahres.\n"
                "- Sie müssen aus mindestens sieben EU-Ländern kommen.\n"
                "- Gelingt es, muss die Kommission förmlich antworten, und das Europäische "
                "Parlament berät unsere Forderung.\n",
            ),
            "fr": Version(
                "initiative-citoyenne-lancee",
                "Une initiative citoyenne pour interdire la surveillance biométrique de masse",
                "La coalition lance une initiative citoyenne européenne : un million de "
                "signatures obligeraient la Commission à répondre à notre demande "
                "d'interdiction.",
                "Aujourd'hui, la coalition, dont Access Now et EDRi font partie des "
                "organisateurs, lance une **initiative citoyenne européenne** contre la "
                "surveillance biométrique de masse.\n\n"
                "## Ce que nous demandons\n\n"
                "Les gouvernements, la police et les entreprises ne doivent plus pouvoir "
                "capter le visage, la démarche ou d'autres traits physiques de toute "
                "personne qui traverse un parc, un centre commercial ou une gare.\n\n"
                "## Comment fonctionne l'initiative\n\n"
                "- Il nous faut un million de signatures, recueillies en un an.\n"
                "- Elles doivent venir d'au moins sept pays de l'UE.\n"
                "- En cas de succès, la Commission doit répondre officiellement et le "
                "Parlement européen débat de notre demande.\n",
            ),
        },
    ),
    Story(
        author="European Digital Rights (EDRi)",
        published_at=datetime(2021, 10, 6, 16, 0, tzinfo=UTC),
        tags=("european-parliament", "ai-act"),
        versions={
            "en": Version(
                "parliament-calls-for-a-ban",
                "The European Parliament calls for a ban on biometric mass surveillance",
                "A large majority of MEPs adopted a report that asks for a ban. It binds "
                "no one yet, but it shows where Parliament stands on the AI Act.",
                "Members of the European Parliament have adopted an own-initiative report "
                "on the police's use of artificial intelligence, and it asks for a **ban on "
                "biometric mass surveillance**. More than 61,000 people had signed our "
                "citizens' initiative by then.\n\n"
                "## What the report asks for\n\n"
                "- A halt to facial identification by the police until it is shown to "
                "respect fundamental rights, and a ban if it cannot be.\n"
                "- A lasting prohibition of the automated recognition of gait, fingerprints, "
                "DNA, voice and other features in places open to the public.\n"
                "- No use by the police of private face databases such as Clearview AI.\n"
                "- No public money for research into mass surveillance.\n\n"
                "An attempt by some MEPs to water the text down failed. The report is not "
                "law, but it gives Parliament's negotiators on the AI Act a clear mandate.\n",
            ),
            "de": Version(
                "parlament-fordert-verbot",
                "Das Europäische Parlament fordert ein Verbot biometrischer Massenüberwachung",
                "Eine große Mehrheit der Abgeordneten hat einen Bericht angenommen, der ein "
                "Verbot verlangt. Er bindet noch niemanden, zeigt aber, wo das Parlament "
                "bei der KI-Verordnung steht.",
                "Die Abgeordneten des Europäischen Parlaments haben einen Initiativbericht "
                "über den Einsatz künstlicher Intelligenz durch die Polizei angenommen, und "
                "er verlangt ein **Verbot biometrischer Massenüberwachung**. Über 61.000 "
                "Menschen hatten bis dahin unsere Bürgerinitiative unterschrieben.\n\n"
                "## Was der Bericht fordert\n\n"
                "- Keine Gesichtsidentifizierung durch die Polizei, solange nicht belegt "
                "ist, dass sie die Grundrechte achtet, und ein Verbot, wenn das nicht "
                "gelingt.\n"
                "- Ein dauerhaftes Verbot der automatischen Erkennung von Gang, "
                "Fingerabdrücken, DNA, Stimme und anderen Merkmalen an öffentlich "
                "zugänglichen Orten.\n"
                "- Keine Nutzung privater Gesichtsdatenbanken wie Clearview AI durch die "
                "Polizei.\n"
                "- Kein öffentliches Geld für Forschung zur Massenüberwachung.\n\n"
                "Der Versuch einiger Abgeordneter, den Text abzuschwächen, scheiterte. Der "
                "Bericht ist kein Gesetz, gibt den Verhandlern des Parlaments zur "
                "KI-Verordnung aber einen klaren Auftrag.\n",
            ),
            "fr": Version(
                "le-parlement-demande-une-interdiction",
                "Le Parlement européen demande l'interdiction de la surveillance "
                "biométrique de masse",
                "Une large majorité d'eurodéputés a adopté un rapport qui demande une "
                "interdiction. Il n'oblige encore personne, mais il montre la position du "
                "Parlement sur le règlement sur l'IA.",
                "Les membres du Parlement européen ont adopté un rapport d'initiative sur "
                "l'usage de l'intelligence artificielle par la police, et il demande "
                "l'**interdiction de la surveillance biométrique de masse**. Plus de 61 000 "
                "personnes avaient alors signé notre initiative citoyenne.\n\n"
                "## Ce que demande le rapport\n\n"
                "- L'arrêt de l'identification faciale par la police tant que son respect "
                "des droits fondamentaux n'est pas démontré, et son interdiction sinon.\n"
                "- L'interdiction durable de la reconnaissance automatisée de la démarche, "
                "des empreintes digitales, de l'ADN, de la voix et d'autres traits dans les "
                "lieux ouverts au public.\n"
                "- Aucun recours de la police à des bases privées de visages comme "
                "Clearview AI.\n"
                "- Pas d'argent public pour la recherche sur la surveillance de masse.\n\n"
                "Une tentative de certains eurodéputés d'affaiblir le texte a échoué. Le "
                "rapport n'est pas une loi, mais il donne aux négociateurs du Parlement sur "
                "le règlement sur l'IA un mandat clair.\n",
            ),
        },
    ),
    Story(
        author="European Digital Rights (EDRi)",
        published_at=datetime(2023, 9, 26, 8, 0, tzinfo=UTC),
        tags=("facial-recognition", "ai-act"),
        versions={
            "en": Version(
                "stop-facial-recognition-now",
                "198 groups and experts: stop facial recognition surveillance now",
                "Civil society groups and experts from around the world ask governments to "
                "stop police, authorities and companies from using facial recognition.",
                "Today 198 civil society organisations and experts, working on digital and "
                "human rights, anti-racism, migration and social justice, call on "
                "governments to **stop facial recognition surveillance** by the police, "
                "public authorities and private companies.\n\n"
                "In Europe, our campaign has asked for a ban on biometric mass surveillance "
                "since 2020, with the support of more than 250,000 people. In the summer "
                "of 2023 the European Parliament adopted a position that would ban most of "
                "these practices; governments now push back in the last round of talks on "
                "the AI Act.\n",
            ),
            "de": Version(
                "gesichtserkennung-jetzt-stoppen",
                "198 Gruppen und Fachleute: Gesichtserkennung jetzt stoppen",
                "Zivilgesellschaftliche Gruppen und Fachleute aus aller Welt fordern, dass "
                "Polizei, Behörden und Unternehmen keine Gesichtserkennung mehr einsetzen.",
                "Heute fordern 198 Organisationen der Zivilgesellschaft und Fachleute aus "
                "Digital- und Menschenrechten, Antirassismus, Migration und sozialer "
                "Gerechtigkeit die Regierungen auf, **Überwachung durch Gesichtserkennung** "
                "durch Polizei, Behörden und Unternehmen zu stoppen.\n\n"
                "In Europa fordert unsere Kampagne seit 2020 ein Verbot biometrischer "
                "Massenüberwachung, unterstützt von mehr als 250.000 Menschen. Im Sommer "
                "2023 hat das Europäische Parlament eine Position beschlossen, die die "
                "meisten dieser Praktiken verbieten würde; die Regierungen halten in der "
                "letzten Verhandlungsrunde zur KI-Verordnung dagegen.\n",
            ),
            "fr": Version(
                "arreter-la-reconnaissance-faciale",
                "198 organisations et experts : arrêtez la reconnaissance faciale",
                "Des organisations de la société civile et des experts du monde entier "
                "demandent aux gouvernements d'interdire la reconnaissance faciale à la "
                "police, aux autorités et aux entreprises.",
                "Aujourd'hui, 198 organisations de la société civile et experts des droits "
                "numériques et humains, de la lutte contre le racisme, des migrations et de "
                "la justice sociale appellent les gouvernements à **mettre fin à la "
                "surveillance par reconnaissance faciale** menée par la police, les "
                "autorités publiques et les entreprises.\n\n"
                "En Europe, notre campagne demande depuis 2020 l'interdiction de la "
                "surveillance biométrique de masse, avec le soutien de plus de 250 000 "
                "personnes. À l'été 2023, le Parlement européen a adopté une position qui "
                "interdirait la plupart de ces pratiques ; les gouvernements résistent "
                "dans la dernière phase des négociations sur le règlement sur l'IA.\n",
            ),
        },
        late_edit="\nThe statement stays open: more organisations and people can still sign it.\n",
        caught_up={
            "de": "\nDie Erklärung bleibt offen: Weitere Organisationen und Menschen können "
            "sie noch unterzeichnen.\n"
        },
    ),
]


def _author(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def articles(context: DemoContext) -> Report:
    report = Report("Newsroom")
    tags = {slug: set_tag(slug, names, ACTOR) for slug, names in TAGS.items()}
    written = 0
    missing: set[str] = set()
    for story in STORIES:
        english = story.versions["en"]
        if Article.objects.filter(language="en", slug=english.slug).exists():
            continue
        author = _author(story.author)
        if author is None:
            missing.add(story.author)
        fields: dict[str, Any] = {
            "status": Article.Status.PUBLISHED,
            "published_at": story.published_at,
        }
        source = create_article(
            ACTOR,
            language="en",
            slug=english.slug,
            title=english.title,
            summary=english.summary,
            body=english.body,
            author=author,
            tags=[tags[slug] for slug in story.tags],
            **fields,
        )
        translations: dict[str, Article] = {}
        for language, version in story.versions.items():
            if language == "en":
                continue
            translations[language] = translate_article(
                source,
                language,
                ACTOR,
                title=version.title,
                summary=version.summary,
                body=version.body,
                slug=version.slug,
                **fields,
            )
        if story.late_edit:
            # The source moves on: its translations now tell readers they may be behind.
            edit_article(source, ACTOR, body=source.body + story.late_edit)
        for language, addition in (story.caught_up or {}).items():
            behind = translations[language]
            update_translation(
                behind,
                ACTOR,
                title=behind.title,
                summary=behind.summary,
                body=behind.body + addition,
            )
        written += 1
    if written:
        report.add(f"{written} articles written, each in English, German and French.")
        report.add("One translation (French) lags behind an edit of its English source.")
    if missing:
        report.warnings.append(
            "Not in the directory, so written without an author: " + ", ".join(sorted(missing))
        )
    return report
