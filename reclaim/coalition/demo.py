"""The coalition's part of `reclaim demo`. Each part adds its steps (in its own module)."""

from reclaim.coalition.demo_applications import applications
from reclaim.coalition.demo_directory import organisations
from reclaim.coalition.demo_partner import partner
from reclaim.demo.steps import Step

STEPS = [
    Step("coalition.organisations", organisations),
    Step("coalition.applications", applications),
    Step("coalition.partner", partner),
]
