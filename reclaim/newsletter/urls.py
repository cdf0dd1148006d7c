"""The newsletter pages, under /<language>/newsletter/. Each part keeps its own views."""

from django.urls import include, path

from reclaim.newsletter.views import subscriptions

app_name = "newsletter"

urlpatterns = [
    path("", subscriptions.subscribe, name="subscribe"),
    path("check-your-inbox/", subscriptions.sent, name="sent"),
    path("confirm/<str:token>/", subscriptions.confirm, name="confirm"),
    path("renew/<str:token>/", subscriptions.renew, name="renew"),
    path("unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/one-click/", subscriptions.one_click, name="one_click"),
    # Before the sending part's include, which takes the rest of staff/.
    path("staff/import/", subscriptions.import_subscribers, name="import"),
    path("staff/", include("reclaim.newsletter.urls_sending")),
    path("<slug:slug>/", subscriptions.subscribe, name="subscribe_list"),
]
