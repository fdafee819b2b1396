"""API v1: category suggestions (signed in). Before urls_reference, whose
`categories/<code>/` would otherwise take the path."""

from django.urls import URLPattern, URLResolver, path

from citizen_portal.api import views_suggest as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("categories/suggest/", views.CategorySuggestView.as_view(), name="api-categories-suggest"),
]
