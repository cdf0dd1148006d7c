from django.urls import path

from reclaim.shield import views

app_name = "shield"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("invalidate/", views.invalidate, name="invalidate"),
    path("invalidate/<int:pk>/undo/", views.undo, name="undo"),
]
