from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from .alliances import views as alliance_views
from .converters import DatabaseIdConverter
from .metrics import metrics

# Every id in a path is an `<id:...>` (never `<int:...>`): an id past the database's
# range is a 404. Registered here, before the URL modules below are read.
register_converter(DatabaseIdConverter, "id")

urlpatterns = [
    path("", alliance_views.home, name="home"),
    path("", include("alliance.www.accounts.urls")),
    path("alliances/new/dui/", include("alliance.www.interop_import.urls")),
    path("alliances/", include("alliance.www.alliances.urls")),
    path("alliances/", include("alliance.www.acting.urls")),
    path("alliances/", include("alliance.www.linking.urls")),
    path("alliances/", include("alliance.www.caseload.alliance_urls")),
    path("caseload/", include("alliance.www.caseload.urls")),
    path("alliances/", include("alliance.www.documents.urls")),
    path("alliances/", include("alliance.www.meetings.urls")),
    path("alliances/", include("alliance.www.attachments.urls")),
    path("alliances/", include("alliance.www.interop.urls")),
    path("collectives/", include("alliance.www.collectives.urls")),
    path("collectives/", include("alliance.www.results.urls")),
    path("reports/", include("alliance.www.reports.urls")),
    path("report-requests/", include("alliance.www.report_requests.urls")),
    path("notifications/", include("alliance.www.notifications.urls")),
    path("invitations/", include("alliance.www.invitations.urls")),
    path("proposals/", include("alliance.www.proposals.urls")),
    path("about/", include("alliance.www.about.urls")),
    path("account/my-data/", include("alliance.www.privacy.urls")),
    path("account/security/", include("alliance.www.mfa.urls")),
    path("account/passkeys/", include("alliance.www.mfa.passkey_urls")),
    path("account/rights/", include("alliance.www.rights.urls")),
    path("", include("alliance.operations.urls")),
    path("language/", login_not_required(set_language), name="set_language"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", include(("alliance.api.urls", "api"), namespace="api")),
]
