"""API v1: reference data (public, cacheable)."""

from django.urls import URLPattern, URLResolver, path

from citizen_portal.api import views_reference as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("areas/", views.AreaListView.as_view(), name="api-areas"),
    path("tiers/", views.TierListView.as_view(), name="api-tiers"),
    path("departments/", views.DepartmentListView.as_view(), name="api-departments"),
    path("categories/", views.CategoryListView.as_view(), name="api-categories"),
    path("categories/<str:code>/", views.CategoryDetailView.as_view(), name="api-category"),
    path("out-of-scope/", views.OutOfScopeListView.as_view(), name="api-out-of-scope"),
]
