from django.urls import path

from . import lists, report, views

app_name = "results"
urlpatterns = [
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/",
        views.results_page,
        name="results",
    ),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/poster/",
        views.poster,
        name="poster",
    ),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/recompute/",
        views.recompute,
        name="recompute",
    ),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/export.json",
        views.export,
        name="export",
    ),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/adopt/<id:statement_id>/",
        views.adopt,
        name="adopt",
    ),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/common-ground/",
        lists.statement_list,
        {"which": "common_ground"},
        name="common_ground",
    ),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/divisive/",
        lists.statement_list,
        {"which": "divisive"},
        name="divisive",
    ),
    path("<id:collective_id>/interests/", views.interests, name="interests"),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/groups/<int:group_id>/",
        report.group,
        name="group",
    ),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/groups/<int:group_id>/"
        "describe/",
        report.describe_group,
        name="describe_group",
    ),
    path(
        "<id:collective_id>/consultations/<id:consultation_id>/results/report.pdf",
        report.report_pdf,
        name="report_pdf",
    ),
]
