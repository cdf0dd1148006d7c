"""The coalition's admin: each part registers its models in its own module."""

from reclaim.coalition import (
    admin_directory,  # noqa: F401 (organisations)
    admin_widgets,  # noqa: F401 (widgets)
)
