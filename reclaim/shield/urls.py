from django.urls import path

from reclaim.shield import views

app_name = "shield"

urlpatterns = [
    path("challenge/<str:scope>/<str:target>/", views.challenge_for_form, name="challenge"),
]
