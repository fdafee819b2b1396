from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "citizen_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # A change of privileges ends the account's sessions (services/sessions.py).
        from citizen_portal.accounts.services import sessions  # noqa: F401
