"""The public JSON API of petitions, outside the language prefix."""

from django.urls import path

from reclaim.letters import views

app_name = "letters_api"

urlpatterns = [
    path("petitions/<slug:slug>/count.json", views.counter, name="counter"),
]
