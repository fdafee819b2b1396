"""API v1: the signed-in user's notifications."""

from django.urls import URLPattern, URLResolver, path

from citizen_portal.api import views_notifications as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", views.NotificationListView.as_view(), name="api-notifications"),
    path(
        "notifications/read-all/",
        views.NotificationsReadAllView.as_view(),
        name="api-notifications-read-all",
    ),
    # A string, checked by the view: a non-number answers 404 in the API's error shape rather
    # than the site's HTML page.
    path(
        "notifications/<str:notification_id>/read/",
        views.NotificationReadView.as_view(),
        name="api-notification-read",
    ),
]
