"""The newsletter's part of `reclaim demo`. Each part adds its steps (in its own module)."""

from reclaim.demo.steps import Step
from reclaim.newsletter.demo_subscriptions import subscriptions

STEPS = [
    Step("newsletter.subscriptions", subscriptions),
]
