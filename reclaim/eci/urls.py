from django.urls import path

from reclaim.eci.views import calendar, dashboard, figures, organise, paper_forms, public, sponsors

app_name = "eci"

urlpatterns = [
    path("", public.index, name="index"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/check/", public.check, name="check"),
    path("<slug:slug>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("<slug:slug>/embed/", dashboard.embed, name="embed"),
    path("<slug:slug>/forms/", paper_forms.forms_index, name="forms"),
    path("<slug:slug>/forms/<str:country>.pdf", paper_forms.form_pdf, name="form_pdf"),
    path("<slug:slug>/calendar/", calendar.calendar, name="calendar"),
    path("<slug:slug>/calendar.ics", calendar.calendar_ics, name="calendar_ics"),
    path("<slug:slug>/sponsors/", sponsors.sponsors, name="sponsors"),
    path("<slug:slug>/organise/", organise.organise, name="organise"),
    path("<slug:slug>/organise/figures/", figures.figures, name="figures"),
    path("<slug:slug>/organise/batches/", organise.batch_create, name="batch_create"),
    path("<slug:slug>/organise/batches/<int:pk>/", organise.batch_advance, name="batch_advance"),
]
