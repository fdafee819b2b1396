from django.urls import path

from citizen_portal.helpline import views

app_name = "helpline"

urlpatterns = [
    path("", views.home, name="home"),
    path("caller/", views.caller, name="caller"),
    path("caller/done/", views.caller_done, name="caller_done"),
    path("caller/lodge/", views.lodge, name="lodge"),
    path("caller/complaints/<str:reference>/", views.complaint, name="complaint"),
    path("register/", views.register, name="register"),
    path("register/code/", views.register_code, name="register_code"),
]
