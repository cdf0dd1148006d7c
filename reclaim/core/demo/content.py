"""What the demo campaign says, and the invented people who sign it.

The facts (who co-signed the open letter of 10 May 2022, what it asked, which countries
and numbers it cited) come from the public Reclaim Your Face pages; the wording here is
our own. Every individual signer is invented, and so are all email addresses, which
end in ``@example.org``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Text:
    slug: str
    title: str
    summary: str
    text: str
    recipients: str = ""


@dataclass(frozen=True)
class Cosigner:
    """An organisation on the letter. ``listed_as`` is where the letter itself placed it;
    ``country`` is the organisation's seat (None where it could not be established)."""

    name: str
    listed_as: str
    country: str | None
    website: str = ""


# --- The open letter ------------------------------------------------------------------

# The letter went out from Brussels on Tuesday 10 May 2022 (10:00 there, 08:00 UTC).
LETTER_PUBLISHED = datetime(2022, 5, 10, 8, 0, tzinfo=UTC)
# The pages give no closing date; three weeks for late co-signers is our assumption.
LETTER_CLOSES = datetime(2022, 5, 31, 22, 0, tzinfo=UTC)
# A closed petition's signer data is purged closes_at + retention_days after closing. The
# real letter closed in 2022, so a short retention would let the nightly purge wipe the
# demo at once; ten years keeps it readable for as long as anyone demos this release.
LETTER_RETENTION_DAYS = 3650

LETTER = Text(
    slug="ai-act-letter-to-meps",
    title="Open letter to MEPs: prohibit biometric mass surveillance in the AI Act",
    summary=(
        "53 civil society organisations ask Members of the European Parliament to use the "
        "Artificial Intelligence Act to outlaw remote biometric identification in "
        "publicly accessible spaces, without loopholes."
    ),
    recipients="Members of the European Parliament",
    text="""\
Brussels, 10 May 2022

Dear Members of the European Parliament,

We are 53 civil society organisations with a single request: make the Artificial \
Intelligence Act the law that puts an end to biometric mass surveillance.

Facial recognition and other systems for remote biometric identification (RBI), once \
aimed at our streets, stations, shops and squares, take away the chance to be anonymous \
in public. The damage does not stop at privacy and data protection. People who know they \
are being identified think twice before they protest, gather, speak out or simply go \
where they like, and those who already face discrimination carry the heaviest burden.

None of this is speculative. Facial recognition has served the persecution of Uyghur \
Muslims in China and the targeting of protesters and opposition figures in Russia, \
Serbia and Hong Kong, where even the fear of being scanned keeps people at home. In many \
countries, people have been arrested because software matched the wrong face.

Elsewhere, the tide is turning. More than 24 US states have moved against facial \
recognition or similar surveillance. Courts in São Paulo and Buenos Aires have halted \
facial recognition systems. Microsoft, Amazon and IBM paused their own products, and \
Facebook erased its database of face templates. Within the Union, Italy has adopted the \
first European moratorium on facial recognition in public places, the German coalition \
government wants an EU-wide ban, Portugal shelved a bill that would have permitted some \
of these practices, and the Belgian Parliament is weighing a moratorium.

EU data protection law already treats biometric data with special care. Even so, \
companies and authorities stretch "consent" and vague appeals to security to justify \
deployments that amount to mass surveillance.

In 2021 this Parliament, in its report on artificial intelligence in criminal law, \
called for a ban on processing biometric data, facial images included, for law \
enforcement purposes where it leads to mass surveillance in publicly accessible spaces. \
The AI Act is where that position can become binding law. Through the Reclaim Your Face \
campaign, more than 70,000 people in the EU have asked you for exactly that.

The draft Act falls short. Article 5(1)(d) reaches only a thin slice of RBI and carves \
out so many exceptions that it would hand a legal basis to practices that existing \
rules should already forbid. We ask you to table amendments to it that do three things.

First, apply the prohibition to companies and other private operators, not only to \
public authorities.

Second, cover every use of RBI in publicly accessible spaces, whether the matching \
happens live or afterwards on recorded footage.

Third, remove the exceptions, which independent human rights assessments have found to \
fall below the EU's own fundamental rights standards.

A ban on remote use would leave unlocking your own phone or crossing an e-passport gate \
untouched: what it ends is the scanning of everyone who happens to pass by. We further \
urge you to stop discriminatory or manipulative biometric categorisation and to face the \
risks of emotion recognition squarely.

More than 200 organisations worldwide have already called for a global ban on biometric \
surveillance, and what the EU decides will be felt far beyond its borders. The Union \
wants to lead on trustworthy AI. Trust cannot grow in public spaces where every person \
is treated as a suspect. Please make sure the IMCO-LIBE report on the AI Act contains a \
genuine ban on biometric mass surveillance.

Yours sincerely,

Reclaim Your Face, with the organisations listed below""",
)

# The 53 organisations in the order the letter lists them. Where the letter says only
# "International" or "European", the country is the organisation's registered seat.
LETTER_COSIGNERS: tuple[Cosigner, ...] = (
    Cosigner("Access Now", "International", "US"),
    Cosigner("AlgorithmWatch", "European", "DE"),
    Cosigner("Alternatif Bilişim (AIA – Alternative Informatics Association)", "Turkey", "TR"),
    Cosigner("anna elbe – Weitblick für Hamburg", "Germany", "DE"),
    Cosigner("ARTICLE 19: Global Campaign for Free Expression", "International", "GB"),
    Cosigner("Asociația pentru Tehnologie și Internet (ApTI)", "Romania", "RO"),
    Cosigner("Barracón Digital", "Honduras", "HN"),
    Cosigner("Big Brother Watch", "UK", "GB"),
    Cosigner("Bits of Freedom", "the Netherlands", "NL"),
    Cosigner("Blueprint for Free Speech", "International", "AU"),
    Cosigner("Center for Civil Liberties", "Ukraine", "UA"),
    Cosigner("Chaos Computer Club", "Germany", "DE"),
    Cosigner("Civil Liberties Union for Europe", "European", "DE"),
    Cosigner("D3 – Defesa dos Direitos Digitais", "Portugal", "PT"),
    Cosigner("Digital Rights Watch", "Australia", "AU"),
    Cosigner("Digitalcourage", "Germany", "DE"),
    Cosigner("Digitale Freiheit", "Germany", "DE"),
    Cosigner("Digitale Gesellschaft", "Germany", "DE"),
    Cosigner("Digitale Gesellschaft CH", "Switzerland", "CH"),
    Cosigner("Državljan D / Citizen D", "Slovenia / European", "SI"),
    Cosigner("Eticas Foundation", "European / International", "ES"),
    Cosigner("European Center for Not-for-Profit Law Stichting (ECNL)", "European", "NL"),
    Cosigner("European Digital Rights (EDRi)", "International", "BE", "https://edri.org/"),
    Cosigner("European Disability Forum (EDF)", "European", "BE"),
    Cosigner(
        "Fachbereich Informatik und Gesellschaft, Gesellschaft für Informatik e.V.",
        "Germany",
        "DE",
    ),
    Cosigner("Fair Trials", "International", "GB"),
    Cosigner("Fight for the Future", "United States", "US"),
    Cosigner("Football Supporters Europe (FSE)", "European", "DE"),
    Cosigner("Hermes Center", "Italy", "IT"),
    Cosigner("Hiperderecho", "Peru", "PE"),
    Cosigner("Homo Digitalis", "Greece", "GR"),
    Cosigner("Internet Law Reform Dialogue (iLaw)", "Thailand", "TH"),
    Cosigner("Internet Protection Society", "Russia / European", "RU"),
    Cosigner("Intersection Association for Rights and Freedoms", "Tunisia", "TN"),
    Cosigner("IT-Pol Denmark", "Denmark", "DK"),
    Cosigner("International Legal Initiative", "Kazakhstan", "KZ"),
    Cosigner("Iuridicum Remedium (IuRe)", "Czech Republic", "CZ"),
    Cosigner("JCA-NET", "Japan", "JP"),
    Cosigner("Korean Progressive Network Jinbonet", "Republic of Korea", "KR"),
    Cosigner("La Quadrature du Net", "France", "FR"),
    Cosigner("Lady Lawyer Foundation", "International", None),
    Cosigner("LaLibre.net Tecnologías Comunitarias", "Ecuador / Latin America", "EC"),
    Cosigner("Ligue des droits de l'Homme (LDH)", "France", "FR"),
    Cosigner("Ligue des droits humains", "Belgium", "BE"),
    Cosigner("LOAD e.V. – Association for liberal internet policy", "Germany", "DE"),
    Cosigner("Masaar – Technology and Law Community", "Egypt", "EG"),
    Cosigner("Panoptykon Foundation", "Poland", "PL"),
    Cosigner("Privacy International", "International", "GB"),
    Cosigner("Privacy Network", "Italy", "IT"),
    Cosigner("Statewatch", "Europe", "GB"),
    Cosigner("Usuarios Digitales", "Ecuador", "EC"),
    Cosigner("Wikimedia Deutschland", "Germany / European", "DE"),
    Cosigner("Wikimedia France", "France / European", "FR"),
)

# Invented experts who add their names to the letter: (listed name, country).
LETTER_PEOPLE: tuple[tuple[str, str], ...] = (
    ("Prof. Helena Marković, legal scholar", "HR"),
    ("Dr Jonas Lindqvist, sociologist", "SE"),
    ("Clara Estévez, human rights lawyer", "ES"),
    ("Dr Pieter Wouters, computer scientist", "BE"),
    ("Anja Hofer, data protection officer", "AT"),
    ("Tomasz Zieliński, journalist", "PL"),
)

# --- The petition ---------------------------------------------------------------------

PETITION = Text(
    slug="ban-biometric-mass-surveillance",
    title="Ban biometric mass surveillance",
    summary=(
        "Facial recognition and other biometric tracking are spreading through Europe's "
        "public spaces, mostly out of sight. We ask the EU to outlaw biometric mass "
        "surveillance for good."
    ),
    text="""\
Our faces, our voices, the way we walk or type: all of these are biometric data, and \
they reveal a great deal about who we are. Put a camera together with recognition \
software and any one of us can be picked out of a crowd and followed from place to place.

When that is done to everybody in a park, a railway station, a shopping street or a \
stadium, it is biometric mass surveillance. It treats people who are simply living their \
lives as suspects, it discourages them from speaking up and meeting in public, and it \
falls hardest on those who are already discriminated against.

Campaigners across Europe have exposed and fought such systems: in French secondary \
schools, in the Italian city of Como, in police stops in Greece, in Dutch supermarkets \
and on the streets of Belgrade. Time and again the technology arrived without evidence \
that it was needed and without a public debate.

EU law already counts biometric data among the most sensitive personal data, but its \
exceptions leave room for exactly these deployments. Only an explicit ban closes the gap.

We call on the European Commission, the European Parliament and the governments of the \
member states to prohibit biometric mass surveillance in publicly accessible spaces, \
and to disclose every biometric system that is already in use.""",
)

PETITION_GOAL = 100_000
PETITION_MILESTONES = [1_000, 5_000, 10_000, 50_000]
# Relative to the day the demo is first loaded: it opened some months ago and runs on
# for about a year.
PETITION_OPENED_DAYS_AGO = 150
PETITION_RUNS_ON_DAYS = 365

# A few invented comments; most signers leave none.
COMMENTS: tuple[str, ...] = (
    "I want to cross my own city without being scanned.",
    "Public squares belong to people, not to cameras.",
    "Nobody should be afraid to join a demonstration.",
    "My face is not a barcode.",
    "Please close every loophole, public and private.",
    "Football fans are not suspects.",
    "I teach children. Keep these systems out of schools.",
    "Trust in AI starts with red lines.",
)

# --- Who signs, and from where --------------------------------------------------------

# The 27 EU member states with their population in millions on 1 January 2023 (Eurostat,
# rounded). Only used to spread invented signatures roughly like the population.
EU_POPULATION: dict[str, float] = {
    "DE": 84.4,
    "FR": 68.2,
    "IT": 59.0,
    "ES": 48.1,
    "PL": 36.8,
    "RO": 19.1,
    "NL": 17.8,
    "BE": 11.8,
    "CZ": 10.8,
    "SE": 10.5,
    "PT": 10.5,
    "GR": 10.4,
    "HU": 9.6,
    "AT": 9.1,
    "BG": 6.4,
    "DK": 5.9,
    "FI": 5.6,
    "SK": 5.4,
    "IE": 5.3,
    "HR": 3.9,
    "LT": 2.9,
    "SI": 2.1,
    "LV": 1.9,
    "EE": 1.4,
    "CY": 0.9,
    "LU": 0.7,
    "MT": 0.5,
}

# The interface language an invented signer used; the site speaks en, de and fr.
SITE_LANGUAGE: dict[str, str] = {"DE": "de", "AT": "de", "FR": "fr", "BE": "fr", "LU": "fr"}


@dataclass(frozen=True)
class NamePool:
    """Common given names and surnames; several languages inflect surnames by gender."""

    men: tuple[str, ...]
    women: tuple[str, ...]
    surnames: tuple[str, ...]
    surnames_women: tuple[str, ...] = ()

    def surnames_for(self, woman: bool) -> tuple[str, ...]:
        return self.surnames_women if woman and self.surnames_women else self.surnames


NAMES: dict[str, NamePool] = {
    "AT": NamePool(
        ("Lukas", "Florian", "Tobias", "Stefan"),
        ("Anna", "Lena", "Katharina", "Sophie"),
        ("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner"),
    ),
    "BE": NamePool(
        ("Lucas", "Arthur", "Noah", "Wout"),
        ("Emma", "Louise", "Marie", "Lotte"),
        ("Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Claes"),
    ),
    "BG": NamePool(
        ("Georgi", "Ivan", "Dimitar", "Nikolay"),
        ("Maria", "Elena", "Desislava", "Yana"),
        ("Ivanov", "Petrov", "Georgiev", "Dimitrov"),
        ("Ivanova", "Petrova", "Georgieva", "Dimitrova"),
    ),
    "CY": NamePool(
        ("Andreas", "Christos", "Giorgos", "Nikos"),
        ("Maria", "Eleni", "Androulla", "Despina"),
        ("Georgiou", "Christodoulou", "Ioannou", "Constantinou"),
    ),
    "CZ": NamePool(
        ("Jakub", "Jan", "Tomáš", "Petr"),
        ("Tereza", "Eliška", "Lucie", "Klára"),
        ("Novák", "Svoboda", "Dvořák", "Černý"),
        ("Nováková", "Svobodová", "Dvořáková", "Černá"),
    ),
    "DE": NamePool(
        ("Jonas", "Felix", "Lukas", "Maximilian"),
        ("Hannah", "Lea", "Sophie", "Johanna"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker"),
    ),
    "DK": NamePool(
        ("Mikkel", "Rasmus", "Frederik", "Søren"),
        ("Ida", "Freja", "Mette", "Camilla"),
        ("Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Larsen"),
    ),
    "EE": NamePool(
        ("Rasmus", "Martin", "Kristjan", "Mihkel"),
        ("Liis", "Kadri", "Maarja", "Triin"),
        ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Rebane"),
    ),
    "ES": NamePool(
        ("Pablo", "Javier", "Alejandro", "Daniel"),
        ("Lucía", "Carmen", "Marta", "Paula"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez"),
    ),
    "FI": NamePool(
        ("Mikko", "Juha", "Antti", "Ville"),
        ("Aino", "Laura", "Emilia", "Sanna"),
        ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Lahtinen", "Heikkinen"),
    ),
    "FR": NamePool(
        ("Louis", "Hugo", "Julien", "Mathieu"),
        ("Camille", "Léa", "Chloé", "Manon"),
        ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre"),
    ),
    "GR": NamePool(
        ("Giorgos", "Dimitris", "Nikos", "Kostas"),
        ("Maria", "Eleni", "Katerina", "Sofia"),
        ("Papadopoulos", "Nikolaidis", "Papadakis", "Georgiou"),
        ("Papadopoulou", "Nikolaidou", "Papadaki", "Georgiou"),
    ),
    "HR": NamePool(
        ("Luka", "Ivan", "Marko", "Josip"),
        ("Ana", "Petra", "Lucija", "Iva"),
        ("Horvat", "Kovačević", "Babić", "Marić", "Jurić", "Novak"),
    ),
    "HU": NamePool(
        ("Bence", "Máté", "Levente", "Dávid"),
        ("Anna", "Hanna", "Zsófia", "Réka"),
        ("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga"),
    ),
    "IE": NamePool(
        ("Conor", "Seán", "Cian", "Darragh"),
        ("Aoife", "Niamh", "Siobhán", "Róisín"),
        ("Murphy", "Kelly", "O'Sullivan", "Walsh", "Byrne", "Ryan"),
    ),
    "IT": NamePool(
        ("Marco", "Luca", "Alessandro", "Matteo"),
        ("Giulia", "Chiara", "Francesca", "Sara"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano"),
    ),
    "LT": NamePool(
        ("Lukas", "Matas", "Tomas", "Mantas"),
        ("Gabija", "Ugnė", "Rūta", "Eglė"),
        ("Kazlauskas", "Petrauskas", "Jankauskas", "Stankevičius"),
        ("Kazlauskienė", "Petrauskaitė", "Jankauskienė", "Stankevičiūtė"),
    ),
    "LU": NamePool(
        ("Luc", "Tom", "Gilles", "Ben"),
        ("Claire", "Lisa", "Anne", "Sarah"),
        ("Schmit", "Muller", "Weber", "Wagner", "Hoffmann", "Kieffer"),
    ),
    "LV": NamePool(
        ("Jānis", "Andris", "Mārtiņš", "Kristaps"),
        ("Anna", "Laura", "Līga", "Ilze"),
        ("Bērziņš", "Kalniņš", "Ozoliņš", "Liepiņš"),
        ("Bērziņa", "Kalniņa", "Ozoliņa", "Liepiņa"),
    ),
    "MT": NamePool(
        ("Matthew", "Luke", "Andrea", "Jean"),
        ("Maria", "Martina", "Nicole", "Elena"),
        ("Borg", "Camilleri", "Vella", "Farrugia", "Zammit", "Galea"),
    ),
    "NL": NamePool(
        ("Daan", "Sem", "Thijs", "Bram"),
        ("Emma", "Julia", "Sanne", "Fleur"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser"),
    ),
    "PL": NamePool(
        ("Jakub", "Kacper", "Mateusz", "Piotr"),
        ("Zuzanna", "Julia", "Maja", "Agnieszka"),
        ("Nowak", "Kowalski", "Wiśniewski", "Wójcik"),
        ("Nowak", "Kowalska", "Wiśniewska", "Wójcik"),
    ),
    "PT": NamePool(
        ("João", "Rodrigo", "Tiago", "Miguel"),
        ("Maria", "Beatriz", "Inês", "Mariana"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa"),
    ),
    "RO": NamePool(
        ("Andrei", "Alexandru", "Mihai", "Ștefan"),
        ("Ioana", "Maria", "Elena", "Andreea"),
        ("Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica"),
    ),
    "SE": NamePool(
        ("Erik", "Oskar", "Lars", "Johan"),
        ("Elsa", "Maja", "Karin", "Linnea"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson"),
    ),
    "SI": NamePool(
        ("Luka", "Nejc", "Žiga", "Matej"),
        ("Eva", "Nina", "Maja", "Špela"),
        ("Novak", "Horvat", "Krajnc", "Kovačič", "Zupančič", "Potočnik"),
    ),
    "SK": NamePool(
        ("Martin", "Tomáš", "Peter", "Jakub"),
        ("Zuzana", "Lucia", "Katarína", "Simona"),
        ("Horváth", "Kováč", "Varga", "Tóth"),
        ("Horváthová", "Kováčová", "Vargová", "Tóthová"),
    ),
}
