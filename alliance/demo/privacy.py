"""The demo's archive of a person's data (issue 13, ADR 0032): Samir asked for his
two days ago and it is ready, so that "Mes données" shows a file to download and the
news says so. Made with the use case, then by the worker's own function (the demo
has no worker running while it loads)."""

from alliance.accounts.models import User
from alliance.privacy import services
from alliance.privacy.archive import make_archive
from alliance.privacy.models import DataArchive

from .clock import as_of, days_ago


def load_privacy():
    samir = User.objects.get(demo_persona="personne-samir")
    with as_of(days_ago(2, hour=18)):
        archive, _created = services.request_archive(requester=samir, subject=samir)
        if archive.status == DataArchive.Status.PENDING:
            make_archive(archive.pk)
