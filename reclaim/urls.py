from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from reclaim.core import views as core_views
from reclaim.letters.urls import api_urlpatterns as letters_api

urlpatterns = [
    path("api/", include((letters_api, "letters_api"))),
    path("healthz", core_views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", include("reclaim.letters.urls")),
    path("eci/", include("reclaim.eci.urls")),
    path("shield/", include("reclaim.shield.urls")),
    path("privacy/", core_views.privacy, name="privacy"),
    path("privacy/data/", include("reclaim.privacy.urls")),
    path("audit/", include("reclaim.audit.urls")),
    path("staff/", include("reclaim.accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler400 = "reclaim.core.views.bad_request"
handler403 = "reclaim.core.views.permission_denied"
handler404 = "reclaim.core.views.page_not_found"
handler500 = "reclaim.core.views.server_error"
