from django.urls import path

app_name = "intake_email"

urlpatterns: list[path] = []  # type: ignore[valid-type]
