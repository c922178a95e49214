from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.my_data, name="mine"),
    path("archive/", views.ask_archive, name="request"),
    path("archives/<id:archive_id>/", views.download, name="download"),
]
