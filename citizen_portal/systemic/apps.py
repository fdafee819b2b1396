from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemicConfig(AppConfig):
    name = "citizen_portal.systemic"
    label = "systemic"
    verbose_name = _("Systemic issues")
