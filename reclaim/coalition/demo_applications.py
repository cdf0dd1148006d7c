"""Applications to join in `reclaim demo`: version 1 of the coalition's principles, and three
invented organisations' applications at different steps of vetting (submitted, under
review with an internal note, more information asked), all through the services. The
demo sends no mail: the mails the services queue to these invented people are taken out of
the outbox in the same transaction, before any worker can see them.
"""

from __future__ import annotations

from reclaim.coalition.models import Application
from reclaim.coalition.services import applications as services
from reclaim.coalition.services.principles import current_principles, publish_principles
from reclaim.demo.steps import ACTOR, DemoContext, Report, mail_withheld

# Written for the demo, in our own words.
PRINCIPLES = """\
We work for a Europe in which people can move through public spaces without being \
identified, tracked or profiled by their faces, bodies or behaviour. We oppose biometric \
mass surveillance in publicly accessible spaces, by public authorities and by companies \
alike, and ask for a ban in law rather than promises of "safeguards".

Member organisations accept no money, sponsorship or services from companies that develop, \
sell or operate biometric surveillance systems, and say so if asked.

Members campaign peacefully and in the open, respect the people whose rights we defend, \
and treat the personal data of the campaign's signers and supporters by its privacy \
rules: collected only for the campaign, kept no longer than announced, never shared for \
other purposes."""

State = Application.State

# (data, language, the state to bring it to, what the organiser writes)
APPLICATIONS = [
    (
        services.ApplicationData(
            name="Open Streets Collective",
            country="PT",
            kind="digital_rights",
            website="https://open-streets.example.org",
            description="A volunteer group in Lisbon that maps surveillance cameras and runs"
            " workshops on privacy in the city.",
            motivation="We want to bring our camera maps to the campaign and learn from other"
            " groups.",
            contact_name="Inês Marques",
            contact_email="ines@open-streets.example.org",
        ),
        "en",
        State.SUBMITTED,
        "",
    ),
    (
        services.ApplicationData(
            name="Bürgerrechte im Netz e. V.",
            country="DE",
            kind="human_rights",
            website="https://buergerrechte.example.org",
            description="Ein Verein, der Menschen bei Auskunftsersuchen nach der DSGVO"
            " unterstützt.",
            motivation="Wir möchten die Kampagne in Deutschland bekannter machen.",
            contact_name="Jonas Weber",
            contact_email="jonas@buergerrechte.example.org",
        ),
        "de",
        State.UNDER_REVIEW,
        "Known to two of our members; check their funding page before deciding.",
    ),
    (
        services.ApplicationData(
            name="Réseau Vigilance Urbaine",
            country="",
            kind="network",
            website="https://vigilance-urbaine.example.org",
            description="Un réseau de collectifs locaux contre la vidéosurveillance algorithmique.",
            motivation="Nos membres suivent déjà la campagne et veulent y participer.",
            contact_name="Camille Durand",
            contact_email="camille@vigilance-urbaine.example.org",
        ),
        "fr",
        State.MORE_INFORMATION,
        "Could you tell us which collectives belong to the network and how it is funded?",
    ),
]


def applications(context: DemoContext) -> Report:
    with mail_withheld():
        return _applications()


def _applications() -> Report:
    report = Report("Applications to join the coalition")
    principles = current_principles()
    if principles is None:
        principles = publish_principles(PRINCIPLES, ACTOR)
        report.add(f"Principles version {principles.version} published")
    for data, language, target, words in APPLICATIONS:
        if Application.objects.filter(name=data.name).exists():
            continue
        application = services.submit_application(data, principles, language)
        if application is None:
            continue
        services.confirm_application(application)
        if target in (State.UNDER_REVIEW, State.MORE_INFORMATION):
            services.change_state(application, State.UNDER_REVIEW, ACTOR)
        if target == State.UNDER_REVIEW and words:
            services.add_note(application, None, words)
        if target == State.MORE_INFORMATION:
            services.change_state(application, State.MORE_INFORMATION, ACTOR, words)
        report.add(f"{data.name}: {application.get_state_display()}")
    return report
