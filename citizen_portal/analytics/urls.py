from django.urls import include, path

from citizen_portal.analytics import views_dashboard

app_name = "analytics"

urlpatterns = [
    path("", views_dashboard.home, name="home"),
    path("map/", include("citizen_portal.analytics.urls_geo")),
    path("officers/", include("citizen_portal.analytics.urls_officers")),
    # nation/0/, tier/3/, department/45/, office/120/, position/999/
    path("<slug:scope>/<int:pk>/", views_dashboard.dashboard_view, name="dashboard"),
]
