"""The newsletter's retention policies. Each part lists its own, in its own module."""

from reclaim.newsletter.retention_subscriptions import POLICIES as SUBSCRIPTION_POLICIES

POLICIES = [*SUBSCRIPTION_POLICIES]
