from django.urls import path

from . import views

app_name = "rights"
urlpatterns = [
    path("", views.my_rights, name="page"),
    path(
        "professionals/<id:user_id>/remove/",
        views.remove_professional,
        name="remove_professional",
    ),
]
