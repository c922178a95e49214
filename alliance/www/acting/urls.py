from django.urls import path

from alliance.www import voice_notes

from . import review_closing, views

app_name = "acting"
urlpatterns = [
    path("<id:alliance_id>/means/", views.means, name="means"),
    path("<id:alliance_id>/means/<id:option_id>/stance/", views.stance, name="stance"),
    path("<id:alliance_id>/means/<id:option_id>/decide/", views.decide, name="decide"),
    path(
        "<id:alliance_id>/means/<id:option_id>/availability/",
        views.availability,
        name="availability",
    ),
    path("<id:alliance_id>/actions/", views.actions, name="actions"),
    path("<id:alliance_id>/actions/<id:action_id>/join/", views.join_action, name="join_action"),
    path("<id:alliance_id>/actions/<id:action_id>/agree/", views.agree_action, name="agree_action"),
    path("<id:alliance_id>/actions/<id:action_id>/move/", views.move_action, name="move_action"),
    path("<id:alliance_id>/capacities/", views.capacities, name="capacities"),
    path("<id:alliance_id>/journal/", views.journal, name="journal"),
    path("<id:alliance_id>/journal/<id:entry_id>/edit/", views.journal_edit, name="journal_edit"),
    # Voice notes (ADR 0019): the player's address, the recorder, the deletion.
    path(
        "<id:alliance_id>/journal/<id:entry_id>/voice/",
        voice_notes.journal_voice,
        name="journal_voice",
    ),
    path(
        "<id:alliance_id>/journal/<id:entry_id>/voice/record/",
        voice_notes.journal_voice_record,
        name="journal_voice_record",
    ),
    path(
        "<id:alliance_id>/journal/<id:entry_id>/voice/delete/",
        voice_notes.journal_voice_delete,
        name="journal_voice_delete",
    ),
    path("<id:alliance_id>/reviews/", views.reviews, name="reviews"),
    path("<id:alliance_id>/reviews/open/", views.review_open, name="review_open"),
    path("<id:alliance_id>/reviews/<id:review_id>/", views.review, name="review"),
    path(
        "<id:alliance_id>/reviews/<id:review_id>/conclusions/<id:ally_id>/",
        views.review_conclusion,
        name="review_conclusion",
    ),
    path(
        "<id:alliance_id>/reviews/<id:review_id>/charter/",
        views.review_charter,
        name="review_charter",
    ),
    path(
        "<id:alliance_id>/reviews/<id:review_id>/absences/",
        review_closing.review_absence,
        name="review_absence",
    ),
    path(
        "<id:alliance_id>/reviews/<id:review_id>/close/",
        review_closing.review_close,
        name="review_close",
    ),
    path(
        "<id:alliance_id>/reviews/<id:review_id>/export/",
        review_closing.review_export,
        name="review_export",
    ),
    path("<id:alliance_id>/indicators/", views.indicators, name="indicators"),
    path("<id:alliance_id>/weather/", views.weather_page, name="weather"),
]
