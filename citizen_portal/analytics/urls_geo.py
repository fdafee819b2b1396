"""The map's boundary data (views_geo.py), under analytics/map/."""

from django.urls import path

from citizen_portal.analytics import views_geo

urlpatterns = [
    path("districts.geojson", views_geo.districts, name="map_districts"),
    path("provinces.geojson", views_geo.provinces, name="map_provinces"),
    path("download/<str:name>", views_geo.download, name="map_download"),
]
