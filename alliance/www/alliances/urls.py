from django.urls import path

from alliance.www import voice_notes

from . import letters, planning_views, views

app_name = "alliances"
urlpatterns = [
    path("new/", views.create, name="create"),
    path("<id:alliance_id>/", views.overview, name="overview"),
    path("<id:alliance_id>/join/", views.join, name="join"),
    path("<id:alliance_id>/allies/invite/", views.invite, name="invite"),
    path("<id:alliance_id>/allies/<id:ally_id>/decide/", views.decide, name="decide"),
    path("<id:alliance_id>/allies/<id:ally_id>/remove/", views.remove_ally, name="remove_ally"),
    path("<id:alliance_id>/allies/<id:ally_id>/letter/", letters.letter, name="letter"),
    path("<id:alliance_id>/allies/<id:ally_id>/letter/sms/", letters.letter_sms, name="letter_sms"),
    path(
        "<id:alliance_id>/allies/<id:ally_id>/letter/pdf/",
        letters.letter_pdf_view,
        name="letter_pdf",
    ),
    path("<id:alliance_id>/allies/<id:ally_id>/new-access/", letters.reissue, name="reissue"),
    path("<id:alliance_id>/leave/", views.leave, name="leave"),
    path("<id:alliance_id>/mandate/", views.mandate, name="mandate"),
    path("<id:alliance_id>/planning/", planning_views.planning, name="planning"),
    path(
        "<id:alliance_id>/invitations/<id:invitation_id>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("<id:alliance_id>/recognition/", views.recognition, name="recognition"),
    path("<id:alliance_id>/my-words/", views.words, name="words"),
    path("<id:alliance_id>/agree/", views.agree, name="agree"),
    path("<id:alliance_id>/statements/new/", views.statement_new, name="statement_new"),
    path(
        "<id:alliance_id>/statements/<id:statement_id>/", views.statement_detail, name="statement"
    ),
    path(
        "<id:alliance_id>/statements/<id:statement_id>/edit/",
        views.statement_edit,
        name="statement_edit",
    ),
    path(
        "<id:alliance_id>/statements/<id:statement_id>/withdraw/",
        views.statement_withdraw,
        name="statement_withdraw",
    ),
    path("<id:alliance_id>/statements/<id:statement_id>/vote/", views.vote, name="vote"),
    # Voice notes (ADR 0019): the player's address, the recorder, the deletion.
    path(
        "<id:alliance_id>/statements/<id:statement_id>/voice/",
        voice_notes.statement_voice,
        name="statement_voice",
    ),
    path(
        "<id:alliance_id>/statements/<id:statement_id>/voice/record/",
        voice_notes.statement_voice_record,
        name="statement_voice_record",
    ),
    path(
        "<id:alliance_id>/statements/<id:statement_id>/voice/delete/",
        voice_notes.statement_voice_delete,
        name="statement_voice_delete",
    ),
    path("<id:alliance_id>/asymmetries/", views.asymmetries, name="asymmetries"),
    path("<id:alliance_id>/charter/", views.charter, name="charter"),
    # before the sections: "compare" is not a section to edit
    path("<id:alliance_id>/charter/compare/", views.charter_diff, name="charter_diff"),
    path("<id:alliance_id>/charter/<str:section>/", views.charter_edit, name="charter_edit"),
    path(
        "<id:alliance_id>/charter/versions/<id:number>/",
        views.charter_version,
        name="charter_version",
    ),
    path("<id:alliance_id>/positions/", views.positions, name="positions"),
    path("<id:alliance_id>/trail/", views.trail, name="trail"),
]
