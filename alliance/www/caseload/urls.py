from django.urls import path

from . import views

app_name = "caseload"
urlpatterns = [
    path("", views.caseload_page, name="list"),
    path("handover/", views.handover, name="handover"),
]
