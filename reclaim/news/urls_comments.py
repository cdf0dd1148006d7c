"""URLs of readers' comments (included by urls.py, before the article's own ``<slug>/``,
so that ``moderation/`` and ``comments/`` are not read as article addresses)."""

from django.urls import path

from reclaim.news.views import comments as views
from reclaim.news.views import moderation

urlpatterns: list = [
    path("moderation/", moderation.queue, name="moderation"),
    path("comments/<int:pk>/report/", views.report, name="comment_report"),
    path("comments/reply/<str:token>/", views.reply_confirm, name="comment_reply_confirm"),
    path("comments/stop/<str:value>/", views.reply_stop, name="comment_reply_stop"),
    path("<slug:slug>/comments/", views.post, name="comment_post"),
    path("<slug:slug>/comments/waiting/", views.waiting, name="comment_waiting"),
]
