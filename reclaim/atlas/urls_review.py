"""The reviewers' pages, under /<language>/atlas/staff/review/ (views/review.py)."""

from django.urls import path, register_converter

from reclaim.atlas.views import review


class RecordKind:
    """``device`` or ``deployment``: the two kinds of record reviewers vote on."""

    regex = "device|deployment"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RecordKind, "atlas_record")

urlpatterns = [
    path("staff/review/", review.queue, name="review"),
    path("staff/review/reports/<int:pk>/", review.report_page, name="review_report"),
    path("staff/review/<atlas_record:kind>/<int:pk>/", review.record_page, name="review_record"),
    path(
        "staff/review/<atlas_record:kind>/<int:pk>/vote/",
        review.record_vote,
        name="review_vote",
    ),
    path(
        "staff/review/<atlas_record:kind>/<int:pk>/confirm/",
        review.record_confirm,
        name="review_confirm",
    ),
    path(
        "staff/review/<atlas_record:kind>/<int:pk>/withdraw/",
        review.record_withdraw,
        name="review_withdraw",
    ),
    path(
        "staff/review/<atlas_record:kind>/<int:pk>/republish/",
        review.record_republish,
        name="review_republish",
    ),
]
