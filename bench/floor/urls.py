from django.urls import path

from bench.floor import views

urlpatterns = [
    path("insert/", views.insert_row),
    path("newest/", views.newest_rows),
]
