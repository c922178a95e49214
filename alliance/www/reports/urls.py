from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/export/<str:fmt>/", views.export, name="export"),
    path("<int:report_id>/publish/", views.publish, name="publish"),
    path(
        "alliances/<int:alliance_id>/needs/<int:statement_id>/",
        views.code_need,
        name="code_need",
    ),
]
