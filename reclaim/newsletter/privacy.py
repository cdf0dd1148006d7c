"""What the newsletter app holds about an email address. Each part lists its own finders."""

from reclaim.newsletter.privacy_subscriptions import FINDERS as SUBSCRIPTION_FINDERS

FINDERS = [*SUBSCRIPTION_FINDERS]
