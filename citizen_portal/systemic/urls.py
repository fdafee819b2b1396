from django.urls import URLPattern, URLResolver, path

from citizen_portal.systemic import views

app_name = "systemic"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.issue_list, name="list"),
    path("following/", views.following, name="following"),
    path("group/<str:reference>/", views.group, name="group"),
    path("follow/<str:reference>/", views.follow, name="follow"),
    path("unfollow/<str:reference>/", views.unfollow, name="unfollow"),
    path("<str:reference>/", views.issue_detail, name="detail"),
]
