from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<id:alliance_id>/documents/", views.document_list, name="list"),
    path("<id:alliance_id>/documents/project/", views.produce_project, name="produce_project"),
    path("<id:alliance_id>/documents/<id:document_id>/", views.download, name="download"),
]
