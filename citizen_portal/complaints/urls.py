from django.urls import path

from citizen_portal.complaints import (
    views,
    views_attachments,
    views_focal,
    views_inbox,
    views_lodge,
    views_officer,
    views_templates,
)

app_name = "complaints"
urlpatterns = [
    path("complaints/", views.my_complaints, name="mine"),
    # The lodge form, one address per step (views_lodge.py); the first is the way in.
    path("complaints/new/", views_lodge.lodge, name="lodge"),
    path("complaints/new/where/", views_lodge.where, name="lodge_where"),
    path("complaints/new/details/", views_lodge.details, name="lodge_details"),
    path("complaints/new/attachments/", views_lodge.attachments, name="lodge_attachments"),
    path("complaints/new/review/", views_lodge.review, name="lodge_review"),
    path("complaints/new/start-again/", views_lodge.discard, name="lodge_discard"),
    path("attachments/<int:pk>/", views_attachments.attachment, name="attachment"),
    path("complaints/<str:reference>/", views.detail, name="detail"),
    path("work/", views_inbox.inbox, name="inbox"),
    # The focal person's pages; before work/<reference>/, which would take their names.
    path("work/focal/", views_focal.queue, {"queue": "triage"}, name="focal_triage"),
    path("work/focal/assigned/", views_focal.queue, {"queue": "desk"}, name="focal_desk"),
    path("work/focal/bulk/", views_focal.bulk, name="focal_bulk"),
    path("work/focal/route/<str:reference>/", views_focal.route, name="focal_route"),
    path("work/templates/", views_templates.template_list, name="templates"),
    path("work/templates/new/", views_templates.template_new, name="template_new"),
    path("work/templates/<int:pk>/", views_templates.template_edit, name="template_edit"),
    path(
        "work/templates/<int:pk>/retire/", views_templates.template_retire, name="template_retire"
    ),
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
