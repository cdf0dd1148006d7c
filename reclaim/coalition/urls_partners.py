"""URLs of the partner area and of organisers' review of profile changes (included by
urls.py under partner/).

``review/`` comes before ``<slug>/``: an organisation slugged "review" would lose only its
area's first page to it (its other pages have two segments that never match review's).
"""

from django.urls import path

from reclaim.coalition.views import partners

urlpatterns: list = [
    path("", partners.home, name="partner_home"),
    path("review/", partners.review, name="partner_review"),
    path("review/<int:pk>/", partners.review_change, name="partner_review_change"),
    path("review/<int:pk>/approve/", partners.approve, name="partner_approve"),
    path("review/<int:pk>/reject/", partners.reject, name="partner_reject"),
    path("<slug:slug>/", partners.area, name="partner_area"),
    path("<slug:slug>/profile/", partners.profile, name="partner_profile"),
    path("<slug:slug>/widgets/", partners.widgets, name="partner_widgets"),
    path("<slug:slug>/counts/", partners.counts, name="partner_counts"),
    path("<slug:slug>/change/<int:pk>/", partners.change, name="partner_change"),
    path("<slug:slug>/change/<int:pk>/logo/", partners.change_logo, name="partner_change_logo"),
]
