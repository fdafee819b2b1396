from django.urls import path

from citizen_portal.complaints import views_offline
from citizen_portal.core import security_headers, views, views_pwa
from citizen_portal.core.metrics import views as views_metrics

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    # Liveness and readiness (docs/operators.md, "Monitoring"); /healthz is readiness's old
    # name, kept for the load balancers and monitors already pointed at it.
    path("livez", views.livez, name="livez"),
    path("readyz", views.readyz, name="readyz"),
    path("healthz", views.readyz, name="healthz"),
    path("metrics", views_metrics.metrics, name="metrics"),
    # What browsers report the Content-Security-Policy blocked (core/security_headers.py).
    path("csp-report", security_headers.csp_report, name="csp_report"),
    # The app (core/pwa.py): the service worker at the root, so that its scope is the whole
    # site; the page shown offline for a page not kept; the one-page lodge form for offline.
    path("sw.js", views_pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("offline/", views_pwa.offline, name="offline"),
    path("offline/lodge/", views_offline.offline_lodge, name="offline_lodge"),
]
