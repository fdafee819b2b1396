from django.urls import path

from citizen_portal.accessibility import views

app_name = "accessibility"
urlpatterns = [
    path("", views.statement, name="statement"),
    path("report/", views.report, name="report"),
]
