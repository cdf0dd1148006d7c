"""What the signature engine tells other apps, without knowing them.

``news_wanted`` is sent when a signer ticks "send me news", inside the transaction that
stores the signature, with keyword arguments ``petition``, ``email``, ``language``,
``country`` and ``widget_key``. The newsletter app (if installed) makes a pending
subscription of it, with its own confirmation mail; without a receiver the choice stays
only in the sealed box, as before. letters must not import the newsletter app (it would
be a loop), hence a signal.
"""

from django.dispatch import Signal

news_wanted = Signal()
