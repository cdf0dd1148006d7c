"""The coalition's retention policies, run in this order. Each part lists its own."""

from reclaim.coalition.retention_applications import POLICIES as APPLICATION_POLICIES

POLICIES = [*APPLICATION_POLICIES]
