"""The newsletter's admin: each part registers its models in its own module."""

from reclaim.newsletter import admin_subscriptions  # noqa: F401 (mailing lists)
