"""Closing and reopening, under the alliance's own address (its gatekeeper)."""

from django.urls import path

from . import views

app_name = "closing"
urlpatterns = [
    path("<id:alliance_id>/closing/", views.closing, name="page"),
    path("<id:alliance_id>/closing/answer/", views.answer, name="answer"),
]
