from django.urls import include, path

from reclaim.letters import views

app_name = "letters"

urlpatterns = [
    path("petitions/", views.index, name="index"),
    path("p/<slug:slug>/", views.detail, name="detail"),
    path("p/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("p/<slug:slug>/signatories/", views.signatories, name="signatories"),
    path("s/<str:token>/", views.signature_link, name="link"),
    path("s/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("moderation/", include("reclaim.letters.moderation.urls")),
]
