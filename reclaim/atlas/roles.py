"""What the staff roles may do in the atlas. Each part adds its grants in its own section."""

from reclaim.core.hooks import ORGANISER, Grant, Role

# Trusted volunteers who review the atlas's reports and vote on its records: staff with a
# second factor, holding the atlas's review permission only.
REVIEWER = "Reviewers"
ROLES = [Role(REVIEWER)]

PERMISSIONS = [
    # --- records: organisers write deployments and devices in the admin -----------------
    Grant(
        ORGANISER,
        [
            f"atlas.{action}_{model}"
            for model in ("deployment", "capability", "foirequest", "device", "evidence", "photo")
            for action in ("view", "add", "change", "delete")
        ]
        + ["atlas.view_report"],
    ),
    # --- review: reviewers (trusted volunteers) and organisers --------------------------
    # Reviewers see the review queue and vote there; they hold no add/change permission
    # of the admin: every write of theirs goes through services/verification.py.
    Grant(REVIEWER, ["atlas.review_atlas"]),
    Grant(ORGANISER, ["atlas.review_atlas", "atlas.confirm_atlas"]),
]
