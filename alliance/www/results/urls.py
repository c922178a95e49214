from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path(
        "<int:collective_id>/consultations/<int:consultation_id>/results/",
        views.results_page,
        name="results",
    ),
    path(
        "<int:collective_id>/consultations/<int:consultation_id>/results/recompute/",
        views.recompute,
        name="recompute",
    ),
    path(
        "<int:collective_id>/consultations/<int:consultation_id>/results/export.json",
        views.export,
        name="export",
    ),
    path(
        "<int:collective_id>/consultations/<int:consultation_id>/results/adopt/<int:statement_id>/",
        views.adopt,
        name="adopt",
    ),
    path("<int:collective_id>/interests/", views.interests, name="interests"),
]
