from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """Closure-integrity signals: patterns in officers' and offices' resolutions that suggest
    the figures are being gamed (resolutions bunched at the deadline, copied remarks, disputes
    far above peers, feedback from staff devices, complaints lodged and resolved by the same
    people), with the evidence, for supervisors to review. See docs/integrity.md."""

    name = "citizen_portal.integrity"
    label = "integrity"
    verbose_name = _("Closure integrity")

    def ready(self) -> None:
        # Connects the receivers that record hashed client fingerprints (receivers.py).
        from citizen_portal.integrity import receivers  # noqa: F401
