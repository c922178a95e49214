from django.urls import path

from . import views

app_name = "invitations"
urlpatterns = [
    path("alliances/<id:invitation_id>/answer/", views.answer_alliance, name="answer_alliance"),
    path(
        "collectives/<id:invitation_id>/answer/",
        views.answer_collective,
        name="answer_collective",
    ),
    path("<str:token>/", views.open_invitation, name="open"),
]
