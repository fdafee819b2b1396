from django.urls import URLPattern, URLResolver, path

from citizen_portal.intelligence import views, views_admin

app_name = "intelligence"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_admin.models_page, name="models"),
    # The lodge form's category suggestions, refreshed as the citizen types (htmx partial).
    path("suggest/lodge/", views.lodge_suggestions, name="lodge_suggestions"),
]
