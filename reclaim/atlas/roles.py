"""What the staff roles may do in the atlas. Each part adds its grants in its own section."""

from reclaim.core.hooks import ORGANISER, REVIEWER, Grant  # noqa: F401

PERMISSIONS = [
    # --- records: organisers write deployments and devices in the admin -----------------
    # --- review: reviewers (trusted volunteers) and organisers --------------------------
]
