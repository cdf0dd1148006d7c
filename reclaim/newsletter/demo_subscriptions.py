"""Newsletter lists in `reclaim demo`: one per language (English, German, French), with a few
confirmed subscribers at invented example.org addresses, all through the services. The demo
queues no mail: its subscribers are added confirmed by ``add_confirmed``, which sends none.
"""

from __future__ import annotations

from datetime import timedelta

from reclaim.demo.steps import DemoContext, Report
from reclaim.newsletter.models import MailingList
from reclaim.newsletter.services.subscriptions import Subscriber, add_confirmed

# Written for the demo, in our own words.
LISTS = [
    {
        "slug": "news-en",
        "language": "en",
        "name": "Campaign news",
        "description": "About once a month: what the campaign against biometric mass"
        " surveillance achieved (such as the European Parliament's call for a ban), where"
        " the citizens' initiative stands, and what you can do next.",
        "consent_text": "I would like to receive the campaign's newsletter by email. The"
        " campaign keeps my address only to send it, encrypted, and shares it with nobody."
        " I can unsubscribe with one click in every mail.",
    },
    {
        "slug": "news-de",
        "language": "de",
        "name": "Neuigkeiten der Kampagne",
        "description": "Etwa einmal im Monat: was die Kampagne gegen biometrische"
        " Massenüberwachung erreicht hat (etwa die Forderung des Europäischen Parlaments"
        " nach einem Verbot), wo die Bürgerinitiative steht und was Sie tun können.",
        "consent_text": "Ich möchte den Newsletter der Kampagne per E-Mail erhalten. Die"
        " Kampagne speichert meine Adresse verschlüsselt und nur für diesen Versand und gibt"
        " sie an niemanden weiter. Ich kann mich in jeder Mail mit einem Klick abmelden.",
    },
    {
        "slug": "news-fr",
        "language": "fr",
        "name": "Nouvelles de la campagne",
        "description": "Environ une fois par mois : ce que la campagne contre la"
        " surveillance biométrique de masse a obtenu (comme l'appel du Parlement européen à"
        " l'interdire), où en est l'initiative citoyenne et ce que vous pouvez faire.",
        "consent_text": "Je souhaite recevoir la lettre d'information de la campagne par"
        " e-mail. La campagne conserve mon adresse chiffrée, uniquement pour cet envoi, et"
        " ne la transmet à personne. Je peux me désabonner en un clic dans chaque message.",
    },
]

# (list slug, local part, country, days since confirming)
SUBSCRIBERS = [
    ("news-en", "reader.one", "IE", 12),
    ("news-en", "reader.two", "MT", 40),
    ("news-en", "reader.three", "", 3),
    ("news-de", "leserin.eins", "DE", 20),
    ("news-de", "leser.zwei", "AT", 65),
    ("news-fr", "lectrice.un", "FR", 8),
    ("news-fr", "lecteur.deux", "BE", 30),
]


def subscriptions(context: DemoContext) -> Report:
    report = Report("Newsletter lists")
    lists: dict[str, MailingList] = {}
    for fields in LISTS:
        mailing_list, made = MailingList.objects.get_or_create(
            slug=fields["slug"],
            defaults={k: v for k, v in fields.items() if k != "slug"},
        )
        lists[mailing_list.slug] = mailing_list
        report.add(f"{mailing_list.name} ({mailing_list.language}): {'new' if made else 'kept'}")
    added = 0
    for slug, local, country, days in SUBSCRIBERS:
        mailing_list = lists[slug]
        subscriber = Subscriber(
            email=f"{local}@example.org", language=mailing_list.language, country=country
        )
        if add_confirmed(mailing_list, subscriber, context.now - timedelta(days=days)):
            added += 1
    report.add(f"{added} confirmed subscribers added (invented addresses, no mail sent)")
    return report
