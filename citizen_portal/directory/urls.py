from django.urls import path

from citizen_portal.directory import views, views_bulk

app_name = "directory"
urlpatterns = [
    path("route-check/", views.route_check, name="route_check"),
    path("bulk/", views_bulk.bulk_index, name="bulk"),
    path("bulk/<slug:entity>/import/", views_bulk.bulk_import, name="bulk_import"),
    path(
        "bulk/<slug:entity>/export.csv",
        views_bulk.bulk_export,
        {"file_format": "csv"},
        name="bulk_export_csv",
    ),
    path(
        "bulk/<slug:entity>/export.xlsx",
        views_bulk.bulk_export,
        {"file_format": "xlsx"},
        name="bulk_export_xlsx",
    ),
]
