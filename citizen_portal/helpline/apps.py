from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplineConfig(AppConfig):
    """The call-centre agent's screen: find or register the caller, lodge for them, read out
    the status of their complaints."""

    name = "citizen_portal.helpline"
    label = "helpline"
    verbose_name = _("Helpline")
