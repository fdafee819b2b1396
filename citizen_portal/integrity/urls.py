from django.urls import path

from citizen_portal.integrity import views

app_name = "integrity"

urlpatterns = [
    path("", views.flag_list, name="flags"),
    path("<str:signal>/<str:subject>/<int:subject_id>/", views.flag_detail, name="flag"),
]
