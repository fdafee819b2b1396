"""GeoReport v2, mounted at /open311/v2/. Every resource ends in .json or .xml; service codes
contain dots (FED-LESCO.BILL.OVER), so the format is what follows the last one."""

from django.urls import re_path

from citizen_portal.open311 import views

app_name = "open311"
FORMAT = r"\.(?P<format>[A-Za-z0-9]{1,10})$"
urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FORMAT, views.ServiceListView.as_view(), name="services"),
    re_path(
        r"^services/(?P<service_code>[^/]+)" + FORMAT,
        views.ServiceDefinitionView.as_view(),
        name="service",
    ),
    re_path(r"^requests" + FORMAT, views.RequestsView.as_view(), name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/]+)" + FORMAT,
        views.RequestDetailView.as_view(),
        name="request",
    ),
    re_path(r"^tokens/(?P<token>[^/]+)" + FORMAT, views.TokenView.as_view(), name="token"),
    re_path(r"^(?P<rest>.*)$", views.UnknownView.as_view(), name="unknown"),
]
