"""The news app's retention policies, run in this order. Each part lists its own."""

from reclaim.news.retention_comments import POLICIES as COMMENT_POLICIES

POLICIES = [*COMMENT_POLICIES]
