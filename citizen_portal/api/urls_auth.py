"""API v1: auth."""

from django.urls import URLPattern, URLResolver, path

from citizen_portal.api import views_auth

urlpatterns: list[URLPattern | URLResolver] = [
    path("code/", views_auth.CodeRequestView.as_view(), name="api-auth-code"),
    path("verify/", views_auth.VerifyView.as_view(), name="api-auth-verify"),
    path("staff/", views_auth.StaffLoginView.as_view(), name="api-auth-staff"),
    path("logout/", views_auth.LogoutView.as_view(), name="api-auth-logout"),
    path("me/", views_auth.MeView.as_view(), name="api-auth-me"),
    path("tokens/", views_auth.TokensView.as_view(), name="api-auth-tokens"),
]
