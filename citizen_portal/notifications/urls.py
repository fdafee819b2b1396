from django.urls import path

from citizen_portal.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notifications_read, name="read_all"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
]
