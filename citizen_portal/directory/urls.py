from django.urls import path

from citizen_portal.directory import views

app_name = "directory"
urlpatterns = [
    path("route-check/", views.route_check, name="route_check"),
]
