from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "citizen_portal.core"
    label = "core"

    def ready(self) -> None:
        # Background tasks' outcomes are counted in whichever process runs them, and a worker
        # may open its own metrics port (core/metrics/).
        from citizen_portal.core.metrics import task_signals, worker_http

        task_signals.connect()
        worker_http.connect()
