"""Pages of attached files (ADR 0026): the alliance's files with the form that sends
one (also from a journal entry), a file's download, a picture's thumbnail, and the
deletion. Thin: the gatekeeper loads the alliance (404 for outsiders, 403 for allies
not yet approved, a read in the trail for every download, naming the file and its
hash), the use cases decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from alliance.acting.models import JournalEntry
from alliance.attachments import perms, selectors, services
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import render
from alliance.www.uploads import capped_upload, private_file
from alliance.www.utils import id_from

from .forms import AttachmentForm


def _form(data=None, files=None):
    return AttachmentForm(data, files, max_megabytes=services.max_bytes() // (1024 * 1024))


def _entry_in(alliance, entry_id):
    if entry_id is None:
        return None
    entry = (
        JournalEntry.objects.filter(alliance=alliance, pk=entry_id)
        .select_related("author__user")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def _files_page(request, alliance, me, form, status, entry=None):
    files = list(selectors.listed(alliance))
    for attachment in files:
        attachment.deletable = perms.can_delete_attachment(me, attachment)
    return render(
        request,
        "attachments/files.html",
        {
            "alliance": alliance,
            "me": me,
            "form": form,
            "files": files,
            "entry": entry,
            "can_attach": perms.can_attach(me),
        },
        status=status,
    )


@csrf_exempt
@alliance_view("files")
@capped_upload(services.max_bytes)
def files(request, alliance, me, too_big=False):
    """The alliance's files; its POST attaches one, to the alliance or to an entry."""
    if request.method != "POST":
        return _files_page(request, alliance, me, _form(), 200)
    if too_big:  # the body was not read: the form comes back empty, with the reason
        form = _form({})
        form.is_valid()
        form.add_error("file", services.too_big_message())
        return _files_page(request, alliance, me, form, 413)
    form = _form(request.POST, request.FILES)
    entry = _entry_in(alliance, id_from(request.POST, "entry"))
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            attachment = services.attach_file(
                ally=me,
                data=services.read_upload(upload),
                name=upload.name if upload else "",
                description=data["description"],
                alt_text=data["alt_text"],
                entry=entry,
            )
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                form.add_error(field if field in form.fields else None, texts)
        else:
            messages.success(request, _("Your file is kept. The allies can open it."))
            if attachment.entry_id:
                return redirect(
                    reverse("acting:journal", args=[alliance.pk]) + f"#j{attachment.entry_id}"
                )
            return redirect("attachments:files", alliance.pk)
    return _files_page(request, alliance, me, form, 400, entry=entry)


def _read(request, attachment):
    """Names the file in the gatekeeper's trail entry for this read."""
    request.read_detail = {"attachment": attachment.pk, "sha256": attachment.sha256}


@require_safe
@alliance_view("attachment")
def download(request, alliance, me, attachment_id):
    """The file as kept, always to download: a PDF or a picture never opens in the
    alliance's pages, where a crafted one could act as them."""
    attachment = selectors.attachment_in(alliance, attachment_id)
    stored = selectors.stored(attachment)
    response = HttpResponse(bytes(stored.data), content_type=attachment.content_type)
    response.headers["Content-Disposition"] = content_disposition_header(True, attachment.name)
    _read(request, attachment)
    return private_file(response, sandboxed=True)


@require_safe
@alliance_view("attachment_preview")
def preview(request, alliance, me, attachment_id):
    """A picture's thumbnail, shown inside the pages: re-encoded by us, sandboxed."""
    attachment = selectors.attachment_in(alliance, attachment_id)
    stored = selectors.stored(attachment)
    if not stored.thumbnail:
        return redirect("attachments:attachment", alliance.pk, attachment.pk)
    response = HttpResponse(bytes(stored.thumbnail), content_type=stored.thumbnail_type)
    response.headers["Content-Disposition"] = "inline"
    _read(request, attachment)
    return private_file(response, sandboxed=True)


@require_POST
@alliance_view("files")
def delete(request, alliance, me, attachment_id):
    attachment = selectors.attachment_in(alliance, attachment_id)
    services.delete_attachment(ally=me, attachment=attachment)
    messages.success(request, _("The file is deleted."))
    if attachment.entry_id and request.POST.get("back") == "journal":
        return redirect(reverse("acting:journal", args=[alliance.pk]) + f"#j{attachment.entry_id}")
    return redirect("attachments:files", alliance.pk)
