from django.urls import path

from reclaim.eci import views, views_calendar, views_figures, views_forms

app_name = "eci"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/check/", views.check, name="check"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/embed/", views.embed, name="embed"),
    path("<slug:slug>/forms/", views_forms.forms_index, name="forms"),
    path("<slug:slug>/forms/<str:country>.pdf", views_forms.form_pdf, name="form_pdf"),
    path("<slug:slug>/calendar/", views_calendar.calendar, name="calendar"),
    path("<slug:slug>/calendar.ics", views_calendar.calendar_ics, name="calendar_ics"),
    path("<slug:slug>/sponsors/", views_calendar.sponsors, name="sponsors"),
    path("<slug:slug>/organise/", views.organise, name="organise"),
    path("<slug:slug>/organise/figures/", views_figures.figures, name="figures"),
    path("<slug:slug>/organise/batches/", views.batch_create, name="batch_create"),
    path("<slug:slug>/organise/batches/<int:pk>/", views.batch_advance, name="batch_advance"),
]
