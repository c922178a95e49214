"""Pages of movement 3. Thin: load through the gatekeeper, validate the form, call
the use case, render."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alliance.accounts.limits import check_rate
from alliance.collectives import invitation_batches, perms, selectors, services
from alliance.collectives.access import (
    get_batch_for,
    get_member_in,
    get_statement_in,
)
from alliance.collectives.models import ConsultationStatement, ConsultationVote, MemberStanding
from alliance.conflicts import ConflictError
from alliance.www.gatekeepers import collective_view, consultation_view
from alliance.www.reading import is_easy, render
from alliance.www.uploads import capped_upload
from alliance.www.utils import id_from, page_methods, run_use_case

from . import forms


def _facilitator_only(me):
    if not perms.can_facilitate(me):
        raise PermissionDenied


def _form_page(request, form, *, title, lead="", submit, back, context=None, status=None):
    return render(
        request,
        "collectives/form.html",
        {"form": form, "title": title, "lead": lead, "submit": submit, "back": back}
        | (context or {}),
        status=status or (400 if form.errors else 200),
    )


# ---------------------------------------------------------------- collectives


@page_methods
def collective_list(request):
    if not perms.can_take_part(request.user):
        raise PermissionDenied
    return render(
        request,
        "collectives/list.html",
        {
            "memberships": selectors.my_memberships(request.user),
            "can_create": perms.can_create_collective(request.user),
        },
    )


@page_methods
def create(request):
    if not perms.can_create_collective(request.user):
        raise PermissionDenied
    initial = {"standing": "professional" if request.user.is_professional else "person"}
    form = forms.CollectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        collective = run_use_case(
            form, services.create_collective, creator=request.user, **form.cleaned_data
        )
        if collective is not None:
            messages.success(request, _("The collective is created. Add its members."))
            return redirect("collectives:detail", collective.pk)
    return _form_page(
        request,
        form,
        title=_("Start a collective"),
        lead=_("You will be its first facilitator: you add members and run consultations."),
        submit=_("Create the collective"),
        back=(reverse("collectives:list"), _("Back to my collectives")),
    )


@collective_view
def detail(request, collective, me):
    search = forms.MemberSearchForm(request.GET)
    filters = search.filters()
    member_page = selectors.member_page(collective, **filters, page=request.GET.get("page", 1))
    if request.htmx and not is_easy(request):
        # A search or another page of members: the results alone, as the full page
        # would show them (the form keeps the reader's focus and words).
        return render(
            request,
            "collectives/member_list.html#results",
            {
                "collective": collective,
                "me": me,
                "member_page": member_page,
                "member_filtered": bool(filters),
                "can_facilitate": perms.can_facilitate(me),
            },
        )
    consultations = list(selectors.visible_consultations(collective, me))
    return render(
        request,
        "collectives/detail.html",
        {
            "collective": collective,
            "me": me,
            "member_summary": selectors.member_summary(collective),
            "member_page": member_page,
            "member_search": search,
            "member_filtered": bool(filters),
            "consultations": consultations,
            "can_facilitate": perms.can_facilitate(me),
            "invitations": [
                (invitation, perms.can_withdraw_invitation(me, invitation))
                for invitation in selectors.pending_invitations(collective)
            ],
        },
    )


@collective_view
def add_member(request, collective, me):
    _facilitator_only(me)
    form = forms.AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = run_use_case(form, services.add_member, by=me, **form.cleaned_data)
        if added is not None:
            # The same page whether or not an account uses the address: the name shown
            # is the one the facilitator typed, and no credential is ever shown.
            return render(
                request,
                "collectives/member_added.html",
                {
                    "collective": collective,
                    "name": form.cleaned_data["display_name"].strip(),
                    "email": form.cleaned_data["email"],
                },
            )
    return _form_page(
        request,
        form,
        title=_("Add a member"),
        lead=_("With their email, they receive an invitation and answer it themselves."),
        submit=_("Add to the collective"),
        back=(reverse("collectives:detail", args=[collective.pk]), _("Back to the collective")),
        context={"collective": collective},
    )


# ---------------------------------------------------------------- invitations from a file


def _file_form_page(request, collective, form, status=200):
    return render(
        request,
        "collectives/invite_file.html",
        {
            "collective": collective,
            "form": form,
            "max_lines": settings.ALLIANCE_INVITATION_FILE_MAX_LINES,
            "batch_max": settings.ALLIANCE_INVITATION_BATCH_MAX,
            "max_kilobytes": settings.ALLIANCE_INVITATION_FILE_MAX_BYTES // 1000,
        },
        status=status,
    )


@csrf_exempt
@collective_view
@capped_upload(lambda: settings.ALLIANCE_INVITATION_FILE_MAX_BYTES)
def invite_from_file(request, collective, me, too_big=False):
    """The facilitator sends a file; its lines wait on the server for the review."""
    _facilitator_only(me)
    initial = {"default_standing": "resident" if collective.kind == "neighbourhood" else "other"}
    if request.method != "POST":
        return _file_form_page(request, collective, forms.InvitationFileForm(initial=initial))
    check_rate(request, "member_invitation_file", account=request.user.pk)
    if too_big:  # the body was not read: the form comes back with the reason
        form = forms.InvitationFileForm({}, initial=initial)
        form.is_valid()
        form.add_error(
            "file",
            _("The file is too large: at most %(limit)d kilobytes.")
            % {"limit": settings.ALLIANCE_INVITATION_FILE_MAX_BYTES // 1000},
        )
        return _file_form_page(request, collective, form, status=413)
    form = forms.InvitationFileForm(request.POST, request.FILES, initial=initial)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        batch = run_use_case(
            form,
            invitation_batches.prepare_batch,
            by=me,
            # One byte more than allowed is enough to know it is too much.
            data=upload.read(settings.ALLIANCE_INVITATION_FILE_MAX_BYTES + 1),
            file_name=upload.name or "",
            default_standing=form.cleaned_data["default_standing"],
        )
        if batch is not None:
            return redirect("collectives:invitation_batch", collective.pk, batch.pk)
    return _file_form_page(request, collective, form, status=400)


def _outcome_message(row, review):
    outcome = row.outcome
    if outcome == "duplicate":
        return _("The same address as line %(line)d: invited once.") % {"line": row.duplicate_of}
    if outcome == "over_cap":
        if review.capped_by_the_day:
            return _(
                "Over the cap: you may send %(count)d more invitations in the next 24 hours."
            ) % {"count": review.left_today}
        return _(
            "Over the cap: at most %(count)d invitations per file. Send it in another file."
        ) % {"count": review.batch_max}
    return {
        "invite": _("Will be invited."),
        "member": _("Already a member: nothing is sent."),
        "invited": _("Already invited, waiting for their answer: nothing is sent."),
        "invalid_email": _("This is not an email address: correct it in the file."),
        "invalid_standing": _(
            "How they take part is not understood: write person supported, relative, "
            "professional, resident or other."
        ),
        "invalid_name": _("The name is too long: 150 characters at most."),
    }[outcome]


def _outcome_titles():
    return {
        "invite": _("To invite"),
        "member": _("Already members"),
        "invited": _("Already invited"),
        "invalid_email": _("Not an email address"),
        "invalid_standing": _("Way of taking part not understood"),
        "invalid_name": _("Name too long"),
        "duplicate": _("Repeated lines"),
        "over_cap": _("Over the cap"),
    }


def _batch_page(request, collective, batch, *, user, error=None):
    draft = batch.status == batch.Status.DRAFT
    review = invitation_batches.review_batch(batch, user=user) if draft else None
    standings = dict(MemberStanding.choices)
    counts = review.counts if review else batch.outcomes
    titles = _outcome_titles()
    return render(
        request,
        "collectives/invitation_batch.html",
        {
            "collective": collective,
            "batch": batch,
            "review": review,
            "rows": [
                {
                    "number": row.line.number,
                    "name": row.line.name,
                    "email": row.line.email,
                    "standing": standings.get(row.standing, row.line.standing),
                    "outcome": str(row.outcome),
                    "message": _outcome_message(row, review),
                }
                for row in (review.rows if review else ())
            ],
            "counts": [(titles[outcome], n) for outcome, n in counts.items() if n],
            "stale": draft and invitation_batches.is_stale(batch),
            "error": error,
            "hours": settings.ALLIANCE_INVITATION_BATCH_HOURS,
        },
        status=400 if error else 200,
    )


@collective_view
def invitation_batch(request, collective, me, batch_id):
    """Every line of the file with what it will become; nothing is sent yet."""
    _facilitator_only(me)
    return _batch_page(request, collective, get_batch_for(me, batch_id), user=me.user)


@require_POST
@collective_view
def send_invitation_batch(request, collective, me, batch_id):
    _facilitator_only(me)
    batch = get_batch_for(me, batch_id)
    check_rate(request, "member_invitation_file", account=request.user.pk)
    try:
        sent = invitation_batches.send_batch(by=me, batch=batch)
    except ValidationError as error:
        batch.refresh_from_db()
        return _batch_page(request, collective, batch, user=me.user, error=" ".join(error.messages))
    count = sent.outcomes.get("invite", 0)
    messages.success(
        request,
        ngettext(
            "%(count)d invitation is sent. The person receives it and joins only if they accept.",
            "%(count)d invitations are sent. Each person receives their own and joins "
            "only if they accept.",
            count,
        )
        % {"count": count},
    )
    return redirect(reverse("collectives:detail", args=[collective.pk]) + "#members")


@require_POST
@collective_view
def discard_invitation_batch(request, collective, me, batch_id):
    _facilitator_only(me)
    batch = get_batch_for(me, batch_id)
    try:
        invitation_batches.discard_batch(by=me, batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The list is discarded: nobody was invited."))
    return redirect("collectives:detail", collective.pk)


@require_POST
@collective_view
def withdraw_invitation(request, collective, me, invitation_id):
    invitation = collective.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    try:
        services.withdraw_member_invitation(by=me, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("collectives:detail", collective.pk)


@require_POST
@collective_view
def make_facilitator(request, collective, me, member_id):
    member = get_member_in(collective, member_id)
    services.make_facilitator(by=me, member=member)
    messages.success(
        request, _("%(name)s is now a facilitator.") % {"name": member.user.display_name}
    )
    return redirect("collectives:detail", collective.pk)


@require_POST
@collective_view
def leave(request, collective, me):
    try:
        services.leave_collective(member=me)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("collectives:detail", collective.pk)
    messages.success(
        request, _("You have left the collective %(name)s.") % {"name": collective.name}
    )
    return redirect("collectives:list")


# ---------------------------------------------------------------- consultations


@collective_view
def consultation_create(request, collective, me):
    _facilitator_only(me)
    form = forms.ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consultation = run_use_case(form, services.create_consultation, by=me, **form.cleaned_data)
        if consultation is not None:
            messages.success(
                request,
                _("The consultation is ready. Check its statements, then open it to members."),
            )
            return redirect("collectives:consultation", collective.pk, consultation.pk)
    return _form_page(
        request,
        form,
        title=_("Prepare a consultation"),
        lead=_(
            "Members write short statements and vote on each other's. "
            "It stays a draft, seen only by facilitators, until you open it."
        ),
        submit=_("Prepare the consultation"),
        back=(reverse("collectives:detail", args=[collective.pk]), _("Back to the collective")),
        context={"collective": collective},
    )


STATEMENTS_PER_PAGE = 50


def _consultation_context(collective, me, consultation, page=1):
    found = selectors.consultation_page(me, consultation)
    return found | {
        # A consultation may gather hundreds of statements: a phone shows them by pages.
        "statement_page": Paginator(found["rows"], STATEMENTS_PER_PAGE).get_page(page),
        "collective": collective,
        "me": me,
        "consultation": consultation,
        "can_facilitate": perms.can_facilitate(me),
        "can_write": perms.can_write_statement(me, consultation),
        "pending": (selectors.pending_count(consultation) if perms.can_facilitate(me) else 0),
    }


@consultation_view
def consultation(request, collective, me, consultation):
    return render(
        request,
        "collectives/consultation.html",
        _consultation_context(collective, me, consultation, request.GET.get("page", 1)),
    )


@require_POST
@consultation_view
def consultation_status(request, collective, me, consultation):
    _facilitator_only(me)
    form = forms.StatusForm(request.POST)
    status, error = 400, None
    if form.is_valid():
        move = (
            services.open_consultation
            if form.cleaned_data["move"] == "open"
            else services.close_consultation
        )
        try:
            moved = move(
                by=me, consultation=consultation, expected_version=form.cleaned_data["version"]
            )
        except ConflictError as conflict:
            status, error = 409, str(conflict)
            consultation.refresh_from_db()
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(
                request,
                _("The consultation is open: members can now vote.")
                if moved.is_open
                else _("The consultation is closed."),
            )
            return redirect("collectives:consultation", collective.pk, consultation.pk)
    else:
        error = _("This request is incomplete: reload the page and try again.")
    context = _consultation_context(collective, me, consultation) | {"status_error": error}
    return render(request, "collectives/consultation.html", context, status=status)


@consultation_view
def statement_new(request, collective, me, consultation):
    easy = is_easy(request)
    form = forms.StatementForm(request.POST or None, easy=easy)
    if request.method == "POST" and form.is_valid():
        statement = run_use_case(
            form,
            services.write_statement,
            member=me,
            consultation=consultation,
            **form.cleaned_data,
        )
        if statement is not None:
            messages.success(
                request,
                _("Your statement is added.")
                if statement.is_accepted
                else _("Your statement is sent. A facilitator will read it before members vote."),
            )
            return redirect("collectives:consultation", collective.pk, consultation.pk)
    return _form_page(
        request,
        form,
        title=_("I write a message to the group") if easy else _("Write a statement"),
        lead=consultation.question,
        submit=_("I send my message") if easy else _("Send the statement"),
        back=(
            reverse("collectives:consultation", args=[collective.pk, consultation.pk]),
            _("Back to the question") if easy else _("Back to the consultation"),
        ),
        context={
            "collective": collective,
            "blocked": (
                ""
                if perms.can_write_statement(me, consultation)
                else _("This consultation is closed: it no longer takes statements.")
            ),
        },
    )


@require_POST
@consultation_view
def statement_withdraw(request, collective, me, consultation, statement_id):
    statement = get_statement_in(consultation, statement_id)
    if statement.author_id != me.user_id:
        raise PermissionDenied
    try:
        services.withdraw_statement(member=me, statement=statement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your statement is withdrawn."))
    return redirect("collectives:consultation", collective.pk, consultation.pk)


def _moderation_page(request, collective, me, consultation, *, error_for=None, error=None):
    pending = consultation.statements.filter(
        status=ConsultationStatement.Status.PENDING
    ).select_related("author")
    return render(
        request,
        "collectives/moderation.html",
        {
            "collective": collective,
            "me": me,
            "consultation": consultation,
            "pending": pending,
            "error_for": error_for,
            "error": error,
        },
        status=400 if error else 200,
    )


@consultation_view
def moderation(request, collective, me, consultation):
    _facilitator_only(me)
    return _moderation_page(request, collective, me, consultation)


@require_POST
@consultation_view
def moderate(request, collective, me, consultation, statement_id):
    _facilitator_only(me)
    statement = get_statement_in(consultation, statement_id)
    form = forms.ModerationForm(request.POST)
    if not form.is_valid():
        return _moderation_page(
            request,
            collective,
            me,
            consultation,
            error_for=statement.pk,
            error=_("Choose to accept the statement or not."),
        )
    try:
        services.moderate_statement(
            by=me,
            statement=statement,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
            easy_read=form.cleaned_data["easy_read"],
        )
    except ValidationError as error:
        return _moderation_page(
            request,
            collective,
            me,
            consultation,
            error_for=statement.pk,
            error=" ".join(error.messages),
        )
    messages.success(
        request,
        _("The statement is accepted: members can vote on it.")
        if form.cleaned_data["decision"] == "accept"
        else _("The statement is not accepted; its author will see your reason."),
    )
    return redirect("collectives:moderation", collective.pk, consultation.pk)


# ---------------------------------------------------------------- voting


# The buttons speak in the first person; the stored labels describe a vote.
BALLOT_CHOICES = [
    (ConsultationVote.Value.AGREE, _lazy("Agree")),
    (ConsultationVote.Value.DISAGREE, _lazy("Disagree")),
    (ConsultationVote.Value.PASS, _lazy("I pass")),
]


def _vote_page(request, collective, me, consultation, *, easy, statement_id=None, error=None):
    ballot = selectors.ballot(me, consultation, statement_id=statement_id)
    context = {
        "collective": collective,
        "me": me,
        "consultation": consultation,
        "ballot": ballot,
        # The statements' easy-read wording on the usual page ("easy" is the reading
        # mode of the whole page, which has its own template).
        "easy_wording": easy,
        "vote_choices": BALLOT_CHOICES,
        "vote_error": error,
    }
    status = 400 if error else 200
    template = "collectives/vote.html#ballot" if request.htmx else "collectives/vote.html"
    return render(request, template, context, status=status)


@consultation_view
def vote(request, collective, me, consultation):
    source = request.POST if request.method == "POST" else request.GET
    easy = source.get("easy") == "1"
    if request.method != "POST":
        return _vote_page(
            request,
            collective,
            me,
            consultation,
            easy=easy,
            statement_id=id_from(request.GET, "statement"),
        )
    form = forms.VoteForm(request.POST)
    statement_id = id_from(request.POST, "statement")
    if not form.is_valid():
        return _vote_page(
            request,
            collective,
            me,
            consultation,
            easy=easy,
            statement_id=statement_id,
            error=_("Choose agree, disagree or pass."),
        )
    statement = get_statement_in(consultation, form.cleaned_data["statement"])
    try:
        services.cast_vote(member=me, statement=statement, value=form.cleaned_data["value"])
    except ValidationError as error:
        return _vote_page(
            request,
            collective,
            me,
            consultation,
            easy=easy,
            statement_id=statement.pk,
            error=" ".join(error.messages),
        )
    if request.htmx:
        return _vote_page(request, collective, me, consultation, easy=easy)
    url = reverse("collectives:vote", args=[collective.pk, consultation.pk])
    return redirect(url + ("?" + urlencode({"easy": "1"}) if easy else ""))
