"""API v1: complaints. The citizen's own complaints, and the officers' actions on a complaint
(`…/actions/<action>/`, with the officers' endpoints in views_work.py)."""

from django.urls import URLPattern, URLResolver, path

from citizen_portal.api import views_complaints as views
from citizen_portal.api.views_attachments import AttachmentView
from citizen_portal.api.views_work import ComplaintActionView

urlpatterns: list[URLPattern | URLResolver] = [
    path("attachments/<int:pk>/", AttachmentView.as_view(), name="api-attachment"),
    path("complaints/", views.ComplaintsView.as_view(), name="api-complaints"),
    path(
        "complaints/<str:reference>/",
        views.ComplaintDetailView.as_view(),
        name="api-complaint",
    ),
    path(
        "complaints/<str:reference>/timeline/",
        views.ComplaintTimelineView.as_view(),
        name="api-complaint-timeline",
    ),
    path(
        "complaints/<str:reference>/answer/",
        views.ComplaintAnswerView.as_view(),
        name="api-complaint-answer",
    ),
    path(
        "complaints/<str:reference>/feedback/",
        views.ComplaintFeedbackView.as_view(),
        name="api-complaint-feedback",
    ),
    path(
        "complaints/<str:reference>/actions/<str:action>/",
        ComplaintActionView.as_view(),
        name="api-complaint-action",
    ),
]
