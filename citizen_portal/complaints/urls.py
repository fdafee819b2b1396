from django.urls import path

from citizen_portal.complaints import views

app_name = "complaints"
urlpatterns = [
    path("complaints/", views.my_complaints, name="mine"),
    path("complaints/new/", views.lodge, name="lodge"),
    path("complaints/<str:reference>/", views.detail, name="detail"),
    path("work/", views.inbox, name="inbox"),
    path("work/<str:reference>/", views.work_detail, name="work_detail"),
    path("work/<str:reference>/resolve/", views.work_resolve, name="work_resolve"),
]
