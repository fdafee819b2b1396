from django.urls import path

from citizen_portal.accounts import views, views_me, views_staff

app_name = "accounts"
urlpatterns = [
    path("login/", views.citizen_login, name="login"),
    path("verify/", views.citizen_verify, name="verify"),
    path("register/", views.citizen_register_start, name="register"),
    path("register/details/", views.citizen_register_details, name="register_details"),
    path("register/email/", views.citizen_register_by_email, name="register_email"),
    path("reset/", views.citizen_reset_start, name="reset"),
    path("reset/password/", views.citizen_reset_password, name="reset_password"),
    path("staff/login/", views_staff.StaffLogin.as_view(), name="staff_login"),
    path("two-step/code/", views_staff.staff_code, name="staff_code"),
    path("two-step/setup/", views_staff.staff_setup, name="staff_setup"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views_me.me, name="me"),
    path("me/export/", views_me.me_export, name="me_export"),
    path("me/phone/", views_me.me_phone, name="me_phone"),
    path("me/phone/verify/", views_me.me_phone_verify, name="me_phone_verify"),
    path("me/name/", views_me.me_name, name="me_name"),
    path("me/email/", views_me.me_email, name="me_email"),
    path("me/email/verify/", views_me.me_email_verify, name="me_email_verify"),
    path("me/email/remove/", views_me.me_email_remove, name="me_email_remove"),
]
