from django.urls import path

from . import views

app_name = "rights"
urlpatterns = [
    path("", views.my_rights, name="page"),
]
