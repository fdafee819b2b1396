from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """What leadership sees: rollups of the complaints' timelines, dashboards and maps,
    officers' performance reports, closure-integrity signals, the public transparency page
    and open data, and exports of complaint lists."""

    name = "citizen_portal.analytics"
    label = "analytics"
    verbose_name = _("Analytics")
