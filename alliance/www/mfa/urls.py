from django.urls import path

from . import views

app_name = "mfa"
urlpatterns = [
    path("", views.devices, name="devices"),
    path("set-up/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("confirm/", views.reauthenticate, name="reauthenticate"),
    path("passkeys/", views.passkeys, name="passkeys"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("<slug:kind>/<id:device_id>/remove/", views.remove_device, name="remove_device"),
]
