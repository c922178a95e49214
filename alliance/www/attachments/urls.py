from django.urls import path

from . import views

app_name = "attachments"
urlpatterns = [
    path("<id:alliance_id>/files/", views.files, name="files"),
    path("<id:alliance_id>/files/<id:attachment_id>/", views.download, name="attachment"),
    path(
        "<id:alliance_id>/files/<id:attachment_id>/preview/",
        views.preview,
        name="attachment_preview",
    ),
    path("<id:alliance_id>/files/<id:attachment_id>/delete/", views.delete, name="delete"),
]
