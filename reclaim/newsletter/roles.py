"""What the staff roles may do in the newsletter app. Each part adds its grants here."""

from reclaim.core.hooks import ORGANISER, Grant

PERMISSIONS = [
    # Subscriptions: lists in the admin (never an address), and the import page.
    Grant(
        ORGANISER,
        [
            "newsletter.view_mailinglist",
            "newsletter.add_mailinglist",
            "newsletter.change_mailinglist",
            "newsletter.add_subscription",
        ],
    ),
    # Sending: writing issues and sending them (views/sending.py).
    Grant(
        ORGANISER,
        [
            "newsletter.view_issue",
            "newsletter.add_issue",
            "newsletter.change_issue",
            "newsletter.send_issue",
        ],
    ),
]
