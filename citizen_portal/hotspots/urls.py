from django.urls import URLPattern, URLResolver, path

from citizen_portal.hotspots import views

app_name = "hotspots"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.alert_list, name="list"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge_view, name="acknowledge"),
]
