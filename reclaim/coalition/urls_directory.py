"""URLs of the coalition's directory pages (included by urls.py, before the other parts).

An organisation's address is any slug except the other parts' prefixes ("join",
"partner", "widgets") and this list's own pages, which the admin refuses as slugs
(``admin_directory.RESERVED_SLUGS``): this list is included first, so such a slug would
hide a part of the site.
"""

from django.urls import path, re_path

from reclaim.coalition.views import directory

RESERVED_SLUGS = ("join", "partner", "widgets", "co-signatures")
_SLUG = r"(?!(?:" + "|".join(RESERVED_SLUGS) + r")/)(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    path("", directory.index, name="directory"),
    path("co-signatures/", directory.cosignatures, name="cosignatures"),
    path("co-signatures/link/", directory.link, name="cosignature_link"),
    path("co-signatures/<int:pk>/unlink/", directory.unlink, name="cosignature_unlink"),
    re_path(_SLUG + r"/$", directory.detail, name="organisation"),
    re_path(_SLUG + r"/logo/(?P<version>[0-9a-f]{1,16})\.png$", directory.logo, name="logo"),
]
