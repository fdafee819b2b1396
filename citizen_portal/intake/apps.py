from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """The doors besides the web and the app: e-mail and SMS received by the portal, and the
    shared way every channel turns what it received into a complaint."""

    name = "citizen_portal.intake"
    label = "intake"
    verbose_name = _("Intake")
