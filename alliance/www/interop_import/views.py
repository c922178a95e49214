"""Starting an alliance from the organisation's DUI (ADR 0031): upload a TDDUI
bundle, review what it holds and whom to invite, then create. Nothing is created
before the review is confirmed; the parsed content waits in the session between."""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from alliance.interop import perms
from alliance.interop.dui_reading import MAX_BYTES, DuiContent, UnreadableBundle, read_bundle
from alliance.interop.importing import Invitation, start_alliance_from_dui
from alliance.www.reading import render
from alliance.www.uploads import MULTIPART_ROOM
from alliance.www.utils import page_methods, run_use_case

from . import forms

SESSION_KEY = "dui_import"


def _reasons():
    return {
        "too_big": _("This file is too big: a DUI bundle for one person is at most 2 MB."),
        "not_json": _("This file is not a FHIR file in JSON. Export the bundle again."),
        "not_bundle": _("This file is not a FHIR bundle. Export the person's bundle again."),
        "invalid": _("This FHIR bundle is malformed: it breaks the FHIR R4 rules."),
        "no_patient": _("This bundle names no person (no Patient)."),
        "many_patients": _("This bundle names several persons: import one person at a time."),
        "no_name": _("The person in this bundle has no name."),
    }


def _professional_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not perms.can_import_dui(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _capped(view):
    """Like `uploads.capped_upload` outside an alliance: a body too big is refused
    before anything reads it, the CSRF check included (done here once the size is
    known; the view is exempted from the middleware's)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request):
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_BYTES + MULTIPART_ROOM:
                return view(request, too_big=True)
        return protected(request)

    return wrapper


def _upload(request, too_big=False):
    if too_big:  # the body was not read: the form comes back empty, with the reason
        form = forms.UploadForm({})
        form.is_valid()
        form.errors.clear()
        form.add_error("bundle", _reasons()["too_big"])
        return render(request, "interop_import/upload.html", {"form": form}, status=413)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bundle"]
        try:
            content = read_bundle(upload.read(MAX_BYTES + 1))
        except UnreadableBundle as refusal:
            form.add_error("bundle", _reasons()[refusal.reason])
        else:
            request.session[SESSION_KEY] = content.as_data()
            return redirect("interop_import:review")
    return render(
        request,
        "interop_import/upload.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


upload = csrf_exempt(page_methods(_professional_only(_capped(_upload))))


@page_methods
@_professional_only
def review(request):
    try:
        content = DuiContent.from_data(request.session[SESSION_KEY])
    except (KeyError, TypeError):
        # Nothing read yet, or read by an older version of this page: read it again.
        request.session.pop(SESSION_KEY, None)
        messages.info(request, _("Choose the DUI file first."))
        return redirect("interop_import:upload")
    initial = {
        "title": _("Alliance of %(name)s") % {"name": content.person.name},
        "person_email": content.person.email,
        "person_is_protected": any(p.role == "representative" for p in content.people),
    }
    form = forms.ReviewForm(request.POST or None, people=content.people, initial=initial)
    if request.method == "POST" and form.is_valid():
        alliance = run_use_case(
            form,
            start_alliance_from_dui,
            professional=request.user,
            content=content,
            title=form.cleaned_data["title"],
            person_email=form.cleaned_data["person_email"],
            person_is_protected=form.cleaned_data["person_is_protected"],
            invitations=[Invitation(i, role, email) for i, role, email in form.invitations()],
        )
        if alliance is not None:
            del request.session[SESSION_KEY]
            messages.success(
                request,
                _(
                    "The alliance is created from the DUI. The person sees every imported "
                    "statement, marked with where it comes from."
                ),
            )
            return redirect("alliances:overview", alliance.pk)
    return render(
        request,
        "interop_import/review.html",
        {
            "form": form,
            "content": content,
            "born_on": content.person.born_on
            and datetime.date.fromisoformat(content.person.born_on),
        },
        status=400 if form.errors else 200,
    )
