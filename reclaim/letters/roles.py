"""What the staff roles may do with petitions, letters and signatures."""

from reclaim.core.hooks import MODERATOR, ORGANISER, Grant

PERMISSIONS = [
    Grant(
        ORGANISER,
        [
            "letters.add_petition",
            "letters.change_petition",
            "letters.view_petition",
            "letters.view_counts",
            "letters.export_signatures",
            "letters.view_signature",
            "letters.moderate_signature",
            "letters.invalidate_signature",
            "letters.view_countrycount",
            "letters.view_alert",
            "letters.view_invalidationrun",
        ],
    ),
    Grant(
        MODERATOR,
        [
            "letters.view_petition",
            "letters.view_counts",
            "letters.view_signature",
            "letters.moderate_signature",
            "letters.view_countrycount",
        ],
    ),
]
