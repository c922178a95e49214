from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.create, name="create"),
    path("<id:report_id>/", views.detail, name="detail"),
    path("<id:report_id>/export/<str:fmt>/", views.export, name="export"),
    path("<id:report_id>/publish/", views.publish, name="publish"),
    path(
        "alliances/<id:alliance_id>/needs/<id:statement_id>/",
        views.code_need,
        name="code_need",
    ),
]
