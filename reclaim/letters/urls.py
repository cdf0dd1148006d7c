from django.urls import path

from reclaim.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.index, name="index"),
    path("p/<slug:slug>/", views.detail, name="detail"),
    path("p/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("p/<slug:slug>/signatories/", views.signatories, name="signatories"),
    path("s/<str:token>/", views.signature_link, name="link"),
    path("s/<str:token>/withdraw/", views.withdraw, name="withdraw"),
]

api_urlpatterns = [
    path("petitions/<slug:slug>/count.json", views.counter, name="counter"),
]
