"""The deployments of the atlas's demo, with their capabilities, FOI requests and sources.

The facts are those of the campaign's public pages (``/work/shared/seeds/`` when this was
written) and of the atlas's issue; the words are our own. The pages name no camera models
and give no start dates, so the demo leaves them blank rather than invent them. Where the
demo needs something the pages do not say (camera points, a refused FOI request to show
how one looks), the text says it is an example.

A link is only ever the address of a page that says what the evidence claims: the
coalition's launch statement, or the campaign's own site for the facts from its other
pages. No address here is made up.
"""

from __future__ import annotations

from dataclasses import dataclass

from reclaim.atlas.models import Capability, Claim, Deployment, Evidence, FoiRequest

# The coalition's launch statement (Belgrade's crowdsourced camera map, Como, Prague,
# Greece, French schools).
LAUNCH_STATEMENT = (
    "https://reclaimyourface.eu/joint-civil-society-statement-people-across-europe-"
    "challenge-biometric-mass-surveillance-as-reclaimyourface-movement-launches"
)
# The campaign's site: its pages on the problem (Huawei and Belgrade), the ECI's launch
# (Como, Greek police stops, Dutch supermarkets, French protests) and the open letter of
# 10 May 2022 (São Paulo, Buenos Aires).
CAMPAIGN_SITE = "https://reclaimyourface.eu/"

Kind = Capability.Kind
Sure = Capability.Confidence
Status = Deployment.Status


@dataclass(frozen=True)
class Source:
    claim: str
    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class Foi:
    authority: str
    # Days before the demo's day (the requests are examples, not dated facts).
    sent_days_ago: int
    status: str
    answered_days_after: int | None
    answer: str


@dataclass(frozen=True)
class Votes:
    """The demo reviewers' verdicts on a deployment, in the reviewers' order."""

    verdicts: tuple[str, ...] = ()
    official: bool = False


@dataclass(frozen=True)
class Place:
    """A deployment's handful of demo devices: around a centre, within ``spread``
    degrees, each watching one of ``watches`` in turn."""

    count: int
    spread: float
    watches: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class DeploymentFacts:
    slug: str
    name: str
    city: str
    country: str
    operator: str
    system: str
    vendor: str
    description: str
    status: str
    legal_basis: str
    dpia: str
    capabilities: tuple[tuple[str, str], ...]
    sources: tuple[Source, ...]
    votes: Votes = Votes()
    centre: tuple[float, float] | None = None
    foi: tuple[Foi, ...] = ()
    devices: Place | None = None
    published: bool = True


C, D = "confirm", "dispute"

BELGRADE = DeploymentFacts(
    slug="belgrade-safe-city",
    name="Safe City camera network, Belgrade",
    city="Belgrade",
    country="RS",
    operator="Ministry of the Interior of Serbia (police)",
    system="Safe City",
    vendor="Huawei",
    description=(
        "Serbia's government struck a largely undisclosed deal with Huawei to fit the "
        "capital with cameras able to identify faces. SHARE Foundation, the Serbian member "
        "of the coalition, made a film about the partnership, and its volunteers pooled "
        "sightings into a map of the cameras across Belgrade: they count well over a "
        "thousand, about double what the police list themselves.\n\n"
        "In this demo the camera points and the freedom-of-information requests are "
        "examples spread over the city; what is said of the system comes from the "
        "campaign's public pages. Its pages name no camera model, so none is given."
    ),
    status=Status.ACTIVE,
    legal_basis=(
        "None published. Public safety is given as the reason, in general terms; the "
        "campaign holds that this biometric processing has no lawful basis."
    ),
    dpia=Deployment.Dpia.REFUSED,
    capabilities=((Kind.FACE, Sure.LIKELY),),
    centre=(44.8125, 20.4612),
    sources=(
        Source(
            Claim.EXISTENCE,
            Evidence.Kind.PRESS,
            "Coalition launch statement: SHARE Foundation's crowdsourced map of Belgrade's "
            "face-recognition cameras",
            LAUNCH_STATEMENT,
        ),
        Source(
            Claim.CAPABILITY,
            Evidence.Kind.PRESS,
            "Coalition launch statement: the Belgrade cameras described as live facial recognition",
            LAUNCH_STATEMENT,
        ),
        Source(
            Claim.SYSTEM,
            Evidence.Kind.PRESS,
            "Reclaim Your Face: SHARE Foundation's film on the Huawei partnership with the "
            "Serbian government",
            CAMPAIGN_SITE,
        ),
        Source(
            Claim.OPERATOR,
            Evidence.Kind.PRESS,
            "Reclaim Your Face, ECI launch: Serbian authorities watch people in Belgrade's streets",
            CAMPAIGN_SITE,
        ),
    ),
    votes=Votes((C, C, C)),
    foi=(
        Foi(
            "Ministry of the Interior of the Republic of Serbia",
            sent_days_ago=420,
            status=FoiRequest.Status.REFUSED,
            answered_days_after=28,
            answer=(
                "Example for the demo: the ministry would give neither the list of camera "
                "sites nor any impact assessment, saying both concern public security."
            ),
        ),
        Foi(
            "Ministry of the Interior of the Republic of Serbia",
            sent_days_ago=75,
            status=FoiRequest.Status.OVERDUE,
            answered_days_after=None,
            answer="",
        ),
    ),
)

OTHERS = (
    DeploymentFacts(
        slug="como-biometric-surveillance",
        name="Biometric surveillance in Como",
        city="Como",
        country="IT",
        operator="Municipal authorities of Como",
        system="",
        vendor="",
        description=(
            "Authorities in Como, in northern Italy, pointed biometric surveillance at the "
            "city's migrant communities. The use was ruled unlawful and brought to an end, "
            "yet the campaign reports attempts to bring the same kind of system to other "
            "Italian towns."
        ),
        status=Status.ENDED,
        legal_basis="None that held: the practice was declared illegal.",
        dpia=Deployment.Dpia.UNKNOWN,
        capabilities=((Kind.FACE, Sure.SUSPECTED), (Kind.OTHER_BIOMETRIC, Sure.LIKELY)),
        centre=(45.8110, 9.0852),
        sources=(
            Source(
                Claim.EXISTENCE,
                Evidence.Kind.PRESS,
                "Reclaim Your Face, ECI launch: biometric surveillance of migrants in Como",
                CAMPAIGN_SITE,
            ),
            Source(
                Claim.STATUS,
                Evidence.Kind.PRESS,
                "Coalition launch statement: the unlawful deployment in Como was stopped",
                LAUNCH_STATEMENT,
            ),
        ),
        votes=Votes((C, C, D)),
        devices=Place(
            5,
            0.004,
            ("square", "transport", "street"),
            ("Lakeside square", "Near the railway station", "Old town street"),
        ),
    ),
    DeploymentFacts(
        slug="prague-facial-recognition-proposal",
        name="Proposed facial recognition in Prague's public spaces",
        city="Prague",
        country="CZ",
        operator="City of Prague",
        system="",
        vendor="",
        description=(
            "Facial recognition in Prague's streets and squares was put forward, and the "
            "City of Prague said no to it, to the coalition's applause. Iuridicum Remedium "
            "is the Czech group among the campaign's founders."
        ),
        status=Status.PLANNED,
        legal_basis="",
        dpia=Deployment.Dpia.UNKNOWN,
        capabilities=((Kind.FACE, Sure.LIKELY),),
        centre=(50.0875, 14.4213),
        sources=(
            Source(
                Claim.STATUS,
                Evidence.Kind.PRESS,
                "Coalition launch statement: Prague turned facial recognition down",
                LAUNCH_STATEMENT,
            ),
        ),
        votes=Votes((C,)),
    ),
    DeploymentFacts(
        slug="greece-police-stops",
        name="Biometric checks during police stops, Greece",
        city="",
        country="GR",
        operator="Hellenic Police",
        system="",
        vendor="",
        description=(
            "Greek police officers have checked people's biometric data, faces among them, "
            "when stopping them in the street. Homo Digitalis asked the national data "
            "protection authority to look into it, and an investigation was opened."
        ),
        status=Status.ACTIVE,
        legal_basis="",
        dpia=Deployment.Dpia.UNKNOWN,
        capabilities=((Kind.FACE, Sure.LIKELY),),
        sources=(
            Source(
                Claim.EXISTENCE,
                Evidence.Kind.PRESS,
                "Coalition launch statement: call for the data protection authority to "
                "investigate the Hellenic Police's facial recognition",
                LAUNCH_STATEMENT,
            ),
            Source(
                Claim.OPERATOR,
                Evidence.Kind.PRESS,
                "Reclaim Your Face, ECI launch: Greek authorities investigate biometric "
                "surveillance at police stops",
                CAMPAIGN_SITE,
            ),
        ),
        votes=Votes((C, C, C)),
    ),
    DeploymentFacts(
        slug="france-high-schools",
        name="Facial recognition at high school gates, France",
        city="",
        country="FR",
        operator="",
        system="",
        vendor="",
        description=(
            "Face scanning was tried at the entrances of French high schools. Civil society "
            "challenged it before the courts, and the schools stopped using it."
        ),
        status=Status.ENDED,
        legal_basis="",
        dpia=Deployment.Dpia.UNKNOWN,
        capabilities=((Kind.FACE, Sure.CONFIRMED),),
        sources=(
            Source(
                Claim.STATUS,
                Evidence.Kind.PRESS,
                "Coalition launch statement: facial recognition in French schools stopped",
                LAUNCH_STATEMENT,
            ),
        ),
    ),
    DeploymentFacts(
        slug="france-protests",
        name="Biometric surveillance of demonstrations, France",
        city="",
        country="FR",
        operator="",
        system="",
        vendor="",
        description=(
            "Demonstrators in France have been put under biometric surveillance, and civil "
            "society groups went to court over it. No document is attached yet: every claim "
            "here is still waiting for its evidence."
        ),
        status=Status.ACTIVE,
        legal_basis="",
        dpia=Deployment.Dpia.UNKNOWN,
        capabilities=((Kind.UNKNOWN, Sure.SUSPECTED),),
        sources=(),
    ),
    DeploymentFacts(
        slug="netherlands-supermarkets",
        name="Face scanning in supermarkets, Netherlands",
        city="",
        country="NL",
        operator="",
        system="",
        vendor="",
        description=(
            "Supermarkets in the Netherlands have scanned their customers' faces. Dutch "
            "national authorities spoke out against the practice, backed by Bits of Freedom."
        ),
        status=Status.ACTIVE,
        legal_basis="",
        dpia=Deployment.Dpia.UNKNOWN,
        capabilities=((Kind.FACE, Sure.LIKELY),),
        sources=(
            Source(
                Claim.EXISTENCE,
                Evidence.Kind.PRESS,
                "Reclaim Your Face, ECI launch: Dutch authorities criticise face scanning in "
                "supermarkets",
                CAMPAIGN_SITE,
            ),
        ),
        votes=Votes((C, D, D)),
    ),
    DeploymentFacts(
        slug="sao-paulo-facial-recognition",
        name="Facial recognition system, São Paulo",
        city="São Paulo",
        country="BR",
        operator="",
        system="",
        vendor="",
        description=(
            "A court in São Paulo ordered the city's facial recognition system to be "
            "suspended; the coalition's open letter of May 2022 cites the ruling."
        ),
        status=Status.SUSPENDED,
        legal_basis="",
        dpia=Deployment.Dpia.UNKNOWN,
        capabilities=((Kind.FACE, Sure.CONFIRMED),),
        centre=(-23.5505, -46.6333),
        sources=(
            Source(
                Claim.STATUS,
                Evidence.Kind.PRESS,
                "Open letter to Members of the European Parliament, 10 May 2022: rulings in "
                "São Paulo and Buenos Aires",
                CAMPAIGN_SITE,
            ),
        ),
    ),
    DeploymentFacts(
        slug="buenos-aires-facial-recognition",
        name="Facial recognition system, Buenos Aires",
        city="Buenos Aires",
        country="AR",
        operator="",
        system="",
        vendor="",
        description=(
            "Judges in Buenos Aires halted the city's facial recognition system, one of the "
            "two South American rulings the coalition pointed lawmakers to in 2022."
        ),
        status=Status.SUSPENDED,
        legal_basis="",
        dpia=Deployment.Dpia.UNKNOWN,
        capabilities=((Kind.FACE, Sure.CONFIRMED),),
        centre=(-34.6037, -58.3816),
        sources=(
            Source(
                Claim.STATUS,
                Evidence.Kind.PRESS,
                "Open letter to Members of the European Parliament, 10 May 2022: rulings in "
                "São Paulo and Buenos Aires",
                CAMPAIGN_SITE,
            ),
        ),
        votes=Votes((C, C)),
    ),
)

DEPLOYMENTS = (BELGRADE, *OTHERS)
