from django.urls import path

from citizen_portal.analytics import views_officers

urlpatterns = [
    path("", views_officers.officer_list, name="officers"),
    path("<int:officer_id>/", views_officers.officer_report_page, name="officer_report"),
    path("<int:officer_id>/pdf/", views_officers.officer_report_pdf, name="officer_report_pdf"),
]
