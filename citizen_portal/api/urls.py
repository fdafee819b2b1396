"""The API: version 1 under /api/v1/, its OpenAPI schema and interactive documentation."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from citizen_portal.api.errors import error_body


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other address under /api/: 404 in the API's error shape, not the site's HTML page."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The page's script is served at ?script (no inline script: core/security_headers.py).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/auth/", include("citizen_portal.api.urls_auth")),
    path("v1/", include("citizen_portal.api.urls_suggest")),
    path("v1/", include("citizen_portal.api.urls_reference")),
    path("v1/", include("citizen_portal.api.urls_complaints")),
    path("v1/", include("citizen_portal.api.urls_work")),
    path("v1/", include("citizen_portal.api.urls_notifications")),
    re_path(r"^(?P<rest>.*)$", not_found),
]
