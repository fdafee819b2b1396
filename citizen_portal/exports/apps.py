from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """CSV and Excel files of the complaint lists staff see (the officer's inbox, the focal
    person's queues): small ones at once, large ones written by a background job."""

    name = "citizen_portal.exports"
    label = "exports"
    verbose_name = _("Exports")
