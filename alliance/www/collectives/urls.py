from django.urls import path

from . import views

app_name = "collectives"

CONSULTATION = "<id:collective_id>/consultations/<id:consultation_id>/"

urlpatterns = [
    path("", views.collective_list, name="list"),
    path("new/", views.create, name="create"),
    path("<id:collective_id>/", views.detail, name="detail"),
    path("<id:collective_id>/members/add/", views.add_member, name="add_member"),
    # Invitations from a file (issue 14, ADR 0040): read, reviewed, then sent.
    path("<id:collective_id>/members/invite-file/", views.invite_from_file, name="invite_file"),
    path(
        "<id:collective_id>/members/invite-file/<id:batch_id>/",
        views.invitation_batch,
        name="invitation_batch",
    ),
    path(
        "<id:collective_id>/members/invite-file/<id:batch_id>/send/",
        views.send_invitation_batch,
        name="send_invitation_batch",
    ),
    path(
        "<id:collective_id>/members/invite-file/<id:batch_id>/discard/",
        views.discard_invitation_batch,
        name="discard_invitation_batch",
    ),
    path(
        "<id:collective_id>/invitations/<id:invitation_id>/withdraw/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path(
        "<id:collective_id>/members/<id:member_id>/facilitator/",
        views.make_facilitator,
        name="make_facilitator",
    ),
    path("<id:collective_id>/leave/", views.leave, name="leave"),
    path(
        "<id:collective_id>/consultations/new/",
        views.consultation_create,
        name="consultation_create",
    ),
    path(CONSULTATION, views.consultation, name="consultation"),
    path(CONSULTATION + "status/", views.consultation_status, name="consultation_status"),
    path(CONSULTATION + "statements/new/", views.statement_new, name="statement_new"),
    path(
        CONSULTATION + "statements/<id:statement_id>/withdraw/",
        views.statement_withdraw,
        name="statement_withdraw",
    ),
    path(CONSULTATION + "moderation/", views.moderation, name="moderation"),
    path(
        CONSULTATION + "statements/<id:statement_id>/moderate/",
        views.moderate,
        name="moderate",
    ),
    path(CONSULTATION + "vote/", views.vote, name="vote"),
]
