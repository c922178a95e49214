from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("collectives/<int:collective_id>/", views.collective, name="collective"),
    path("collectives/<int:collective_id>/public-page/", views.public_page, name="public_page"),
    path("<int:proposal_id>/", views.detail, name="detail"),
    path("<int:proposal_id>/send/", views.send, name="send"),
    path("<int:proposal_id>/co-sign/", views.co_sign, name="co_sign"),
    path("<int:proposal_id>/join/", views.join, name="join"),
    path("received/", views.inbox, name="inbox"),
    path("received/<int:proposal_id>/", views.received, name="received"),
    path("public/<uuid:public_key>/", views.public, name="public"),
]
