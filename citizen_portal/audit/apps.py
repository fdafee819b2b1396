from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The security audit log (ASVS V16): authentication, refusals, reveals of personal data,
    exports, role and directory changes; append-only, in the database and in the log."""

    name = "citizen_portal.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from citizen_portal.audit.receivers import connect

        connect()
