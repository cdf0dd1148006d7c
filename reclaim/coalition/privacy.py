"""What the coalition holds about an email address. Each part lists its own finders."""

from reclaim.coalition.privacy_applications import FINDERS as APPLICATION_FINDERS

FINDERS = [*APPLICATION_FINDERS]
