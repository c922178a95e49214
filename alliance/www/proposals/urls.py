from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("collectives/<id:collective_id>/", views.collective, name="collective"),
    path("collectives/<id:collective_id>/public-page/", views.public_page, name="public_page"),
    path("<id:proposal_id>/", views.detail, name="detail"),
    path("<id:proposal_id>/send/", views.send, name="send"),
    path("<id:proposal_id>/co-sign/", views.co_sign, name="co_sign"),
    path("<id:proposal_id>/join/", views.join, name="join"),
    path("received/", views.inbox, name="inbox"),
    path("received/<id:proposal_id>/", views.received, name="received"),
    path("public/<uuid:public_key>/", views.public, name="public"),
    # Follow-through (ADR 0038): each request answered, progress posted, reactions.
    path("requests/<id:request_id>/answer/", views.answer_request, name="answer_request"),
    path("received/<id:proposal_id>/progress/", views.progress, name="progress"),
    path("answers/<id:answer_id>/react/", views.react, name="react"),
]
