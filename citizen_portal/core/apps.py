from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "citizen_portal.core"
    label = "core"
