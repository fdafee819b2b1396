from django.urls import path

from citizen_portal.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    # Last: a source's name is any word (services/sources.py's registry).
    path("<slug:source>/", views.start, name="start"),
]
