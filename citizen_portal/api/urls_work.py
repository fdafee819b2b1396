"""API v1: work. The officer's inbox, the drops they may review, and a complaint's work page.
The actions are under complaints/<reference>/actions/ (urls_complaints.py)."""

from django.urls import URLPattern, URLResolver, path

from citizen_portal.api import views_scorecard
from citizen_portal.api import views_work as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("work/", views.InboxView.as_view(), name="api-work-inbox"),
    # Before work/<reference>/, which would otherwise take it for a reference.
    path("work/drops-to-review/", views.DropsToReviewView.as_view(), name="api-work-drops"),
    path("work/scorecard/", views_scorecard.ScorecardView.as_view(), name="api-work-scorecard"),
    path("work/<str:reference>/", views.WorkDetailView.as_view(), name="api-work-complaint"),
]
