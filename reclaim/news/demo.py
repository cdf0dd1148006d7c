"""The newsroom's part of `reclaim demo`. Each part adds its steps (in its own module)."""

from reclaim.demo.steps import Step
from reclaim.news.demo_articles import articles
from reclaim.news.demo_comments import comments

STEPS = [
    Step("news.articles", articles),
    Step("news.comments", comments),
]
