from django.urls import path

from reclaim.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("enrol/<str:token>/", views.enrol, name="enrol"),
    path("enrolment/", views.enrolment_links, name="enrolment"),
]
