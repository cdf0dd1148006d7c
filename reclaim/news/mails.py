"""The news app's mails. Each part lists its own, built in its own module."""

from reclaim.news.mails_comments import MAILS as COMMENT_MAILS

MAILS = [*COMMENT_MAILS]
