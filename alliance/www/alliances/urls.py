from django.urls import path

from . import views

app_name = "alliances"
urlpatterns = [
    path("new/", views.create, name="create"),
    path("<int:alliance_id>/", views.overview, name="overview"),
    path("<int:alliance_id>/join/", views.join, name="join"),
    path("<int:alliance_id>/allies/invite/", views.invite, name="invite"),
    path("<int:alliance_id>/allies/<int:ally_id>/decide/", views.decide, name="decide"),
    path("<int:alliance_id>/allies/<int:ally_id>/remove/", views.remove_ally, name="remove_ally"),
    path("<int:alliance_id>/leave/", views.leave, name="leave"),
    path("<int:alliance_id>/mandate/", views.mandate, name="mandate"),
    path(
        "<int:alliance_id>/allies/<int:ally_id>/code/", views.hand_over_code, name="hand_over_code"
    ),
    path("<int:alliance_id>/recognition/", views.recognition, name="recognition"),
    path("<int:alliance_id>/statements/new/", views.statement_new, name="statement_new"),
    path(
        "<int:alliance_id>/statements/<int:statement_id>/", views.statement_detail, name="statement"
    ),
    path(
        "<int:alliance_id>/statements/<int:statement_id>/edit/",
        views.statement_edit,
        name="statement_edit",
    ),
    path(
        "<int:alliance_id>/statements/<int:statement_id>/withdraw/",
        views.statement_withdraw,
        name="statement_withdraw",
    ),
    path("<int:alliance_id>/statements/<int:statement_id>/vote/", views.vote, name="vote"),
    path("<int:alliance_id>/asymmetries/", views.asymmetries, name="asymmetries"),
    path("<int:alliance_id>/charter/", views.charter, name="charter"),
    path("<int:alliance_id>/charter/<str:section>/", views.charter_edit, name="charter_edit"),
    path(
        "<int:alliance_id>/charter/versions/<int:number>/",
        views.charter_version,
        name="charter_version",
    ),
    path("<int:alliance_id>/positions/", views.positions, name="positions"),
    path("<int:alliance_id>/trail/", views.trail, name="trail"),
]
