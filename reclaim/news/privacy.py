"""What the news app holds about an email address. Each part lists its own finders."""

from reclaim.news.privacy_comments import FINDERS as COMMENT_FINDERS

FINDERS = [*COMMENT_FINDERS]
