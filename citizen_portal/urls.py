from django.contrib import admin
from django.urls import include, path

from citizen_portal.accounts.views_staff import admin_login
from citizen_portal.core.language import set_language

urlpatterns = [
    path("", include("citizen_portal.core.urls")),
    path("", include("citizen_portal.complaints.urls")),
    path("accounts/", include("citizen_portal.accounts.urls")),
    path("directory/", include("citizen_portal.directory.urls")),
    path("notifications/", include("citizen_portal.notifications.urls")),
    path("accessibility/", include("citizen_portal.accessibility.urls")),
    path("intake/email/", include("citizen_portal.intake.urls_email")),
    path("intake/sms/", include("citizen_portal.intake.urls_sms")),
    path("helpline/", include("citizen_portal.helpline.urls")),
    path("mailroom/", include("citizen_portal.mailroom.urls")),
    path("exports/", include("citizen_portal.exports.urls")),
    path("analytics/", include("citizen_portal.analytics.urls")),
    path("transparency/", include("citizen_portal.analytics.urls_public")),
    path("integrity/", include("citizen_portal.integrity.urls")),
    path("intelligence/", include("citizen_portal.intelligence.urls")),
    path("systemic/", include("citizen_portal.systemic.urls")),
    path("hotspots/", include("citizen_portal.hotspots.urls")),
    # Django's view, and the account's language for a citizen (core/language.py).
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include("citizen_portal.api.urls")),
    path("open311/v2/", include("citizen_portal.open311.urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]

# An availability failure raised outside a view (a middleware reading the session) answers
# 503 instead of 500; anything else Django's own 500 page (core/unavailable.py).
handler500 = "citizen_portal.core.unavailable.server_error"
# A refusal (PermissionDenied) is noted in the audit log, then Django's 403 page (audit/views.py).
handler403 = "citizen_portal.audit.views.permission_denied"
