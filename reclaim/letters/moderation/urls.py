from django.urls import path

from reclaim.letters.moderation import views

app_name = "moderation"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("invalidate/", views.invalidate, name="invalidate"),
    path("invalidate/<int:pk>/undo/", views.undo, name="undo"),
]
