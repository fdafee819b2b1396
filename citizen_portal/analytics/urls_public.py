from django.urls import path

from citizen_portal.analytics import views_public

app_name = "transparency"

urlpatterns = [
    path("", views_public.transparency, name="page"),
    path("data.json", views_public.data_json, name="data_json"),
    path("data.csv", views_public.data_csv, name="data_csv"),
]
