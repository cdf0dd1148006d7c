"""The staff pages that write and send issues, under /<language>/newsletter/staff/."""

from django.urls import URLPattern, URLResolver, path

from reclaim.newsletter.views import sending

urlpatterns: list[URLPattern | URLResolver] = [
    path("", sending.issues, name="staff_issues"),
    path("new/", sending.issue_new, name="staff_issue_new"),
    path("<int:pk>/", sending.issue_preview, name="staff_issue_preview"),
    path("<int:pk>/edit/", sending.issue_edit, name="staff_issue_edit"),
    path("<int:pk>/mail.html", sending.issue_preview_html, name="staff_issue_preview_html"),
    path("<int:pk>/test/", sending.issue_test, name="staff_issue_test"),
    path("<int:pk>/send/", sending.issue_send, name="staff_issue_send"),
    path("<int:pk>/cancel/", sending.issue_cancel, name="staff_issue_cancel"),
]
