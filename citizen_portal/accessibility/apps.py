from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    """The accessibility statement, and the reports of problems that people send from it."""

    name = "citizen_portal.accessibility"
    label = "accessibility"
    verbose_name = _("Accessibility")
