"""The coalition's mails. Each part lists its own, built in its own module."""

from reclaim.coalition.mails_applications import MAILS as APPLICATION_MAILS
from reclaim.coalition.mails_partners import MAILS as PARTNER_MAILS

MAILS = [*APPLICATION_MAILS, *PARTNER_MAILS]
