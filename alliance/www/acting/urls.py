from django.urls import path

from . import views

app_name = "acting"
urlpatterns = [
    path("<int:alliance_id>/means/", views.means, name="means"),
    path("<int:alliance_id>/means/<int:option_id>/stance/", views.stance, name="stance"),
    path("<int:alliance_id>/means/<int:option_id>/decide/", views.decide, name="decide"),
    path(
        "<int:alliance_id>/means/<int:option_id>/availability/",
        views.availability,
        name="availability",
    ),
    path("<int:alliance_id>/actions/", views.actions, name="actions"),
    path("<int:alliance_id>/actions/<int:action_id>/join/", views.join_action, name="join_action"),
    path(
        "<int:alliance_id>/actions/<int:action_id>/agree/", views.agree_action, name="agree_action"
    ),
    path("<int:alliance_id>/actions/<int:action_id>/move/", views.move_action, name="move_action"),
    path("<int:alliance_id>/capacities/", views.capacities, name="capacities"),
    path("<int:alliance_id>/journal/", views.journal, name="journal"),
    path("<int:alliance_id>/journal/<int:entry_id>/edit/", views.journal_edit, name="journal_edit"),
]
