from django.contrib import admin
from django.urls import include, path

from citizen_portal.accounts.views_staff import admin_login

urlpatterns = [
    path("", include("citizen_portal.core.urls")),
    path("", include("citizen_portal.complaints.urls")),
    path("accounts/", include("citizen_portal.accounts.urls")),
    path("directory/", include("citizen_portal.directory.urls")),
    path("notifications/", include("citizen_portal.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("citizen_portal.api.urls")),
    path("open311/v2/", include("citizen_portal.open311.urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]
