from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notifications, name="list"),
    path("read/", views.read, name="read"),
    path("preferences/", views.preferences, name="preferences"),
    path("failed-deliveries/", views.failed_deliveries, name="failed_deliveries"),
]
