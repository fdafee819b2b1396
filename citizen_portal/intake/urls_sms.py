from django.urls import path

from citizen_portal.intake import views_sms

app_name = "intake_sms"

urlpatterns = [
    path("", views_sms.sms_webhook, name="webhook"),
]
