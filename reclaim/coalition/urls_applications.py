"""URLs of the coalition's applications pages (included by urls.py)."""

from django.urls import path

from reclaim.coalition.views import applications as views

urlpatterns: list = [
    path("", views.apply, name="apply"),
    path("sent/", views.apply_sent, name="apply_sent"),
    path("confirm/<str:token>/", views.apply_confirm, name="apply_confirm"),
    path("invitation/<str:token>/", views.apply_invitation, name="apply_invitation"),
    path("staff/", views.applications_list, name="applications_list"),
    path("staff/principles/", views.applications_principles, name="applications_principles"),
    path("staff/<int:pk>/", views.applications_detail, name="applications_detail"),
    path(
        "staff/<int:pk>/transition/", views.applications_transition, name="applications_transition"
    ),
    path("staff/<int:pk>/note/", views.applications_note, name="applications_note"),
    path("staff/<int:pk>/invitation/", views.applications_resend, name="applications_resend"),
]
