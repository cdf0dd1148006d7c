"""The atlas's admin: each part registers its models in its own module."""

from reclaim.atlas import admin_records  # noqa: F401 (deployments, devices, evidence, photos)
