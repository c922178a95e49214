""" "My data" (GDPR arts. 15 and 20, ADR 0032): what Alliance holds about me, the
archive to download, and, for a legal representative, the archive of the person they
represent. Nobody else reaches a person's data here: a subject or an archive that is
not theirs to ask for or to download is a 404."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance.privacy import perms, selectors, services
from alliance.privacy.models import DataArchive
from alliance.www.reading import render
from alliance.www.uploads import private_file


class ArchiveForm(forms.Form):
    # Empty: my own data; else a person I represent.
    subject = forms.IntegerField(required=False, min_value=1)


@require_GET
def my_data(request):
    """The easy-read version leaves out the counts: the kinds' names are the words of
    the standard pages (charter, indicators…), which easy-read pages never show."""
    user = request.user
    represented = perms.people_represented_by(user)
    archives = list(services.archives_of(user)[:10])
    context = {
        "holdings": selectors.holdings_of(user),
        "archives": archives,
        "pending": any(a.status == DataArchive.Status.PENDING for a in archives),
        "represented": represented,
        "now": timezone.now(),
    }
    return render(request, "privacy/mine.html", context)


@require_POST
def ask_archive(request):
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        raise Http404
    subject_id = form.cleaned_data["subject"]
    if subject_id in (None, request.user.pk):
        subject = request.user
    else:
        subject = next(
            (p for p in perms.people_represented_by(request.user) if p.pk == subject_id), None
        )
        if subject is None:
            raise Http404
    archive, created = services.request_archive(requester=request.user, subject=subject)
    if not created:
        messages.info(
            request,
            _(
                "An archive of these data is already being prepared. "
                "You will be told when it is ready."
            ),
        )
    elif archive.status == DataArchive.Status.READY:
        messages.success(request, _("The archive is ready."))
    else:
        messages.success(
            request, _("The archive is being prepared. You will be told when it is ready.")
        )
    return redirect("privacy:mine")


@require_GET
def download(request, archive_id):
    try:
        archive = services.archives_of(request.user).get(pk=archive_id)
    except DataArchive.DoesNotExist:
        raise Http404 from None
    try:
        data = services.download_archive(user=request.user, archive=archive)
    except services.ArchiveNotReady:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/zip")
    name = f"alliance-donnees-{archive.ready_at:%Y-%m-%d}-{archive.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return private_file(response)
