from django.urls import path

from . import views

app_name = "interop_import"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("review/", views.review, name="review"),
]
