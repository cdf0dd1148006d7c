from django.urls import path

from reclaim.audit import views

app_name = "audit"

urlpatterns = [path("export.csv", views.export_csv, name="export")]
