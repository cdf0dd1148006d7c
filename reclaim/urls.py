"""The URL configuration: each app's pages under their prefix, in every language.

A new app adds its own line here (and to INSTALLED_APPS), and nothing else outside its
folder: its header link, front-page block and staff pages it declares itself
(``navigation.py``, see reclaim.core.hooks).
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from reclaim.core import views as core_views

urlpatterns = [
    path("api/v1/", include("reclaim.api.urls")),
    path("api/", include("reclaim.letters.api_urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("shield/", include("reclaim.shield.urls")),
]

urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("", include("reclaim.letters.urls")),
    path("eci/", include("reclaim.eci.urls")),
    path("coalition/", include("reclaim.coalition.urls")),
    path("news/", include("reclaim.news.urls")),
    path("newsletter/", include("reclaim.newsletter.urls")),
    path("atlas/", include("reclaim.atlas.urls")),
    path("privacy/", include("reclaim.privacy.urls")),
    path("audit/", include("reclaim.audit.urls")),
    path("staff/", include("reclaim.accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler400 = "reclaim.core.views.bad_request"
handler403 = "reclaim.core.views.permission_denied"
handler404 = "reclaim.core.views.page_not_found"
handler500 = "reclaim.core.views.server_error"
