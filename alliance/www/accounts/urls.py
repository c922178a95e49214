from django.urls import path

from . import (
    activation_views,
    api_views,
    calendar_views,
    organisation_views,
    proconnect,
    reading_views,
    views,
)

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.sign_in_with_code, name="sign_in_code"),
    path("sign-in/code/request/", views.request_code, name="request_code"),
    path("sign-in/link/<str:token>/", views.sign_in_with_link, name="sign_in_link"),
    path("sign-in/demo/<slug:persona>/", views.sign_in_as_demo, name="sign_in_demo"),
    path("sign-in/proconnect/", proconnect.start, name="proconnect_start"),
    path("sign-in/proconnect/callback/", proconnect.callback, name="proconnect_callback"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("activate/", activation_views.activate, name="activate"),
    path("activate/choose/", activation_views.choose, name="activate_choose"),
    path("activate/choose/device/", activation_views.keep_device, name="activate_device"),
    path("activate/choose/password/", activation_views.first_password, name="activate_password"),
    path(
        "account/devices/<id:device_id>/revoke/",
        activation_views.revoke_device,
        name="revoke_device",
    ),
    path("account/password/", views.choose_password, name="password"),
    path("account/settings/", reading_views.my_settings, name="settings"),
    path("account/settings/calendar/", calendar_views.calendar_make, name="calendar_make"),
    path(
        "account/settings/calendar/revoke/",
        calendar_views.calendar_revoke,
        name="calendar_revoke",
    ),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("account/settings/api/", api_views.api_token_make, name="api_token_make"),
    path(
        "account/settings/api/<id:token_id>/revoke/",
        api_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("organisation/api-clients/", api_views.api_clients, name="api_clients"),
    path(
        "organisation/api-clients/<id:api_client_id>/revoke/",
        api_views.api_client_revoke,
        name="api_client_revoke",
    ),
    path("reading/", reading_views.switch_reading, name="reading_switch"),
    path("account/sessions/", views.my_sessions, name="sessions"),
    path("account/sessions/<id:session_id>/end/", views.end_session, name="end_session"),
    path("account/sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("organisation/professionals/", views.professionals, name="professionals"),
    path(
        "organisation/address/",
        organisation_views.organisation_address,
        name="organisation_address",
    ),
    path(
        "organisation/professionals/<id:user_id>/active/",
        views.professional_active,
        name="professional_active",
    ),
]
