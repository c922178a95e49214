from django.urls import path

from . import views

app_name = "interop"
urlpatterns = [
    path("<id:alliance_id>/dui/", views.dui, name="dui"),
    path("<id:alliance_id>/dui/agree/", views.give, name="give"),
    path("<id:alliance_id>/dui/withdraw/", views.withdraw, name="withdraw"),
    path("<id:alliance_id>/dui/export/", views.export, name="export"),
]
