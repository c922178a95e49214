from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("<id:alliance_id>/meetings/", views.meetings, name="list"),
    path("<id:alliance_id>/meetings/new/", views.meeting_new, name="new"),
    path("<id:alliance_id>/meetings/<id:meeting_id>/", views.meeting, name="detail"),
    path("<id:alliance_id>/meetings/<id:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<id:alliance_id>/meetings/<id:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path(
        "<id:alliance_id>/meetings/<id:meeting_id>/weather/dismiss/",
        views.weather_dismiss,
        name="weather_dismiss",
    ),
]
