from django.urls import path

from . import views

app_name = "linking"
urlpatterns = [
    path("<id:alliance_id>/solidarity/", views.solidarity, name="solidarity"),
    path("<id:alliance_id>/solidarity/consent/", views.consent, name="consent"),
    path("<id:alliance_id>/solidarity/join/", views.join, name="join"),
]
