from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailroomConfig(AppConfig):
    """Written letters: entered with their scans by the mail room, answered by printed letters
    queued for dispatch."""

    name = "citizen_portal.mailroom"
    label = "mailroom"
    verbose_name = _("Mail room")
