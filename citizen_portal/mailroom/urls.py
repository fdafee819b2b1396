from django.urls import path

from citizen_portal.mailroom import views

app_name = "mailroom"

urlpatterns = [
    path("", views.home, name="home"),
    path("letters/new/", views.enter, name="enter"),
    path("letters/<int:pk>/", views.letter, name="letter"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("dispatch/print/", views.print_chosen, name="print"),
    path("dispatch/printed/", views.mark_printed, name="printed"),
    path("replies/<int:pk>/pdf/", views.reply_pdf, name="reply_pdf"),
    path("replies/<int:pk>/dispatched/", views.mark_dispatched, name="dispatched"),
    path("replies/<int:pk>/returned/", views.mark_returned, name="returned"),
]
