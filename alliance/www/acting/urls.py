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
    path("<int:alliance_id>/reviews/", views.reviews, name="reviews"),
    path("<int:alliance_id>/reviews/open/", views.review_open, name="review_open"),
    path("<int:alliance_id>/reviews/<int:review_id>/", views.review, name="review"),
    path(
        "<int:alliance_id>/reviews/<int:review_id>/conclusions/<int:ally_id>/",
        views.review_conclusion,
        name="review_conclusion",
    ),
    path(
        "<int:alliance_id>/reviews/<int:review_id>/charter/",
        views.review_charter,
        name="review_charter",
    ),
    path("<int:alliance_id>/indicators/", views.indicators, name="indicators"),
    path("<int:alliance_id>/weather/", views.weather_page, name="weather"),
]
