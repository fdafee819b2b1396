from django.urls import path

from citizen_portal.complaints import views, views_attachments, views_officer

app_name = "complaints"
urlpatterns = [
    path("complaints/", views.my_complaints, name="mine"),
    path("complaints/new/", views.lodge, name="lodge"),
    path("attachments/<int:pk>/", views_attachments.attachment, name="attachment"),
    path("complaints/<str:reference>/", views.detail, name="detail"),
    path("work/", views.inbox, name="inbox"),
    path("work/<str:reference>/", views_officer.work_detail, name="work_detail"),
    path("work/<str:reference>/act/<str:action>/", views_officer.work_act, name="work_act"),
    # The first action the page had, kept for the addresses already in use.
    path(
        "work/<str:reference>/resolve/",
        views_officer.work_act,
        {"action": "resolve"},
        name="work_resolve",
    ),
]
