from django.urls import path

from . import views

app_name = "report_requests"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.new, name="new"),
    path("<id:request_id>/", views.detail, name="detail"),
    path("<id:request_id>/close/", views.close, name="close"),
    path("<id:request_id>/answer/", views.answer, name="answer"),
]
