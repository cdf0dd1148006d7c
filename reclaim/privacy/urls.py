from django.urls import path

from reclaim.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.statement, name="statement"),
    path("data/", views.request_access, name="request"),
    path("data/r/<str:token>/", views.records, name="records"),
    path("data/r/<str:token>/download.json", views.download, name="download"),
    path("data/r/<str:token>/erase/", views.erase, name="erase"),
]
