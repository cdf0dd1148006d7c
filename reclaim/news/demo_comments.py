"""Readers' comments in `reclaim demo`: under the demo articles, in their languages, one in
each state a moderator meets (waiting, published, hidden after readers' reports, rejected),
all through the services. The readers and their words are invented; no address is left,
so no mail is queued.
"""

from __future__ import annotations

from datetime import timedelta

from reclaim.demo.steps import ACTOR, DemoContext, Report
from reclaim.news.models import Article, Comment
from reclaim.news.services import comments as services

State = Comment.State

# (article language, article slug, display name, text, state to bring it to)
COMMENTS: list[tuple[str, str, str, str, str]] = [
    (
        "en",
        "parliament-calls-for-a-ban",
        "Niamh from Cork",
        "The report does not bind anyone yet, but it tells us where Parliament will stand"
        " when the AI Act is negotiated. Worth writing to our MEPs now.",
        State.PUBLISHED,
    ),
    (
        "en",
        "parliament-calls-for-a-ban",
        "Tomasz",
        "Does the moratorium cover the police's use of facial recognition on recorded"
        " footage as well, or only live cameras?",
        State.PENDING,
    ),
    (
        "en",
        "parliament-calls-for-a-ban",
        "best deals 4 u",
        "Cheap cameras with face detection, visit https://spam.example.com today!",
        State.REJECTED,
    ),
    (
        "en",
        "citizens-initiative-launched",
        "A worried neighbour",
        "Everyone who signs is a fool and deserves to be watched.",
        State.HIDDEN,
    ),
    (
        "en",
        "citizens-initiative-launched",
        "Lea",
        "Signed, and shared it with my choir. A million is a lot, but seven countries is doable.",
        State.PUBLISHED,
    ),
    (
        "de",
        "parlament-fordert-verbot",
        "Jonas aus Leipzig",
        "Ein wichtiges Signal, auch wenn der Bericht rechtlich nicht bindend ist. Jetzt"
        " kommt es auf die Verhandlungen zum KI-Gesetz an.",
        State.PUBLISHED,
    ),
    (
        "de",
        "buergerinitiative-gestartet",
        "Miriam",
        "Kann man auch unterschreiben, wenn man gerade im Ausland lebt?",
        State.PENDING,
    ),
    (
        "fr",
        "le-parlement-demande-une-interdiction",
        "Camille",
        "Enfin une position claire du Parlement. Il faudra la rappeler à chaque étape"
        " des négociations.",
        State.PUBLISHED,
    ),
    (
        "fr",
        "arreter-la-reconnaissance-faciale",
        "Un lecteur de Lyon",
        "198 signataires, c'est impressionnant. Est-ce que la liste complète est publiée ?",
        State.PENDING,
    ),
]


def comments(context: DemoContext) -> Report:
    report = Report("Readers' comments")
    made = 0
    missing = set()
    for language, slug, name, text, target in COMMENTS:
        article = Article.objects.filter(language=language, slug=slug).first()
        if article is None or not services.accepts_comments(article):
            missing.add(f"{language}/{slug}")
            continue
        if Comment.objects.filter(article=article, display_name=name, text=text).exists():
            continue
        comment = services.post_comment(
            article, services.CommentData(display_name=name, text=text), language
        )
        if target in (State.PUBLISHED, State.HIDDEN) and comment.state != State.PUBLISHED:
            services.moderate([comment], "approve", ACTOR)
        if target == State.REJECTED:
            services.moderate([comment], "reject", ACTOR)
        if target == State.HIDDEN:
            # Readers of different networks report it until it is hidden; the invented
            # source keys stand for the day's keyed hashes of their networks.
            for n in range(services.reports_to_hide()):
                services.report_comment(comment, f"demo-reader-network-{n}")
        if target == State.PUBLISHED and article.published_at is not None:
            # Written in the days after the article, not on the day the demo ran.
            Comment.objects.filter(pk=comment.pk).update(
                created_at=article.published_at + timedelta(days=1 + made % 3, hours=made)
            )
        made += 1
    if made:
        report.add(
            f"{made} comments under the articles: published, waiting for moderation,"
            " hidden after readers' reports and rejected."
        )
    if missing:
        report.warnings.append("Articles not found, no comments: " + ", ".join(sorted(missing)))
    return report
