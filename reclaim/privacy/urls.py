from django.urls import path

from reclaim.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.request_access, name="request"),
    path("r/<str:token>/", views.records, name="records"),
    path("r/<str:token>/download.json", views.download, name="download"),
    path("r/<str:token>/erase/", views.erase, name="erase"),
]
