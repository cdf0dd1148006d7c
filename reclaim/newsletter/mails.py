"""The newsletter's mails. Each part lists its own, built in its own module."""

from reclaim.newsletter.mails_sending import MAILS as SENDING_MAILS
from reclaim.newsletter.mails_subscriptions import MAILS as SUBSCRIPTION_MAILS

MAILS = [*SUBSCRIPTION_MAILS, *SENDING_MAILS]
