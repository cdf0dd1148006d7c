"""The signature engine's part of `reclaim demo`: the open letter of 10 May 2022 and the
petition "Ban biometric mass surveillance".

What they say, who co-signed, when, and the goals are data files beside this module
(``letter.json``, ``petition.json``); the coalition comes from ``reclaim.demo.facts`` and
the invented signers from ``reclaim.demo.people``. Signatures go in through
``reclaim.letters.services.import_signatures``, as any import does: sealed to the active
key, hashed, organisations approved through the moderators' service, no mail sent.
"""

from __future__ import annotations

from reclaim.demo.steps import Step
from reclaim.letters.demo.letter import open_letter
from reclaim.letters.demo.petition import open_petition

STEPS = [Step("letters.letter", open_letter), Step("letters.petition", open_petition)]
