"""Pages of proposals. Thin: load through a gatekeeper, validate the form, call the
use case, render. Three audiences: the collective's members, the addressed decision
maker, and anyone on the collective's public page (no sign-in, no names)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.collectives.access import get_collective_for
from alliance.conflicts import ConflictError
from alliance.reports import timeline
from alliance.reports.proposals import access, perms, selectors, services
from alliance.www.reading import is_easy, render
from alliance.www.utils import page_methods, run_use_case, run_versioned_use_case

from . import forms


def _proposal_form(collective, user, data=None):
    return forms.ProposalForm(
        data,
        decision_makers=selectors.decision_makers(),
        **selectors.evidence_choices(collective, user),
    )


@page_methods
def collective(request, collective_id):
    collective, member = get_collective_for(request.user, collective_id)
    can_write = perms.can_write_proposal(member)
    form = _proposal_form(collective, request.user, request.POST or None) if can_write else None
    if form is not None and "consultation" in form.fields and is_easy(request):
        # The glossary's words on the easy-read page (a consultation is "a question to
        # the group").
        form.fields["consultation"].label = _("The question to the group it comes from")
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():
            proposal = run_use_case(
                form, services.write_proposal, member=member, **form.cleaned_data
            )
            if proposal is not None:
                messages.success(
                    request,
                    _("The draft is saved. Members may co-sign it; a facilitator sends it."),
                )
                return redirect("proposals:detail", proposal.pk)
    return render(
        request,
        "proposals/collective.html",
        {
            "collective": collective,
            "me": member,
            "can_publish": perms.can_publish(member),
            "proposals": selectors.collective_proposals(collective),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def public_page(request, collective_id):
    collective, member = get_collective_for(request.user, collective_id)
    if not perms.can_publish(member):
        raise PermissionDenied
    public = request.POST.get("public") == "1"
    services.set_public_page(member=member, public=public)
    if public:
        messages.success(request, _("The public page is open. It shows no one's name."))
    else:
        messages.success(request, _("The public page is closed."))
    return redirect("proposals:collective", collective.pk)


def _detail(request, proposal, member, *, error=None, status=200, join_form=None):
    context = {
        "proposal": proposal,
        "collective": proposal.collective,
        "me": member,
        "can_send": perms.can_send(member, proposal) and proposal.is_draft,
        "can_co_sign": perms.can_co_sign(member, proposal),
        "can_react": perms.can_react(member, proposal),
        "error": error,
        **selectors.proposal_for_members(
            proposal, member, signers_page=request.GET.get("signers", 1)
        ),
    }
    if context["can_co_sign"] and context["my_alliances"]:
        context["join_form"] = join_form or forms.JoinForm(allies=context["my_alliances"])
    return render(request, "proposals/detail.html", context, status=status)


@page_methods
def detail(request, proposal_id):
    proposal, member = access.get_proposal_for_member(request.user, proposal_id)
    return _detail(request, proposal, member)


def _refused(request, proposal, member, error, *, status=400, join_form=None):
    messages_ = getattr(error, "messages", None) or [str(error)]
    return _detail(
        request, proposal, member, error=" ".join(messages_), status=status, join_form=join_form
    )


@require_POST
def send(request, proposal_id):
    proposal, member = access.get_proposal_for_member(request.user, proposal_id)
    if not perms.can_send(member, proposal):
        raise PermissionDenied
    try:
        services.send_proposal(member=member, proposal=proposal)
    except ConflictError as conflict:
        proposal.refresh_from_db()
        return _refused(request, proposal, member, conflict, status=409)
    except ValidationError as error:
        return _refused(request, proposal, member, error)
    messages.success(request, _("The proposal is sent. You will be told of each answer."))
    return redirect("proposals:detail", proposal.pk)


@require_POST
def co_sign(request, proposal_id):
    proposal, member = access.get_proposal_for_member(request.user, proposal_id)
    if not perms.can_co_sign(member, proposal):
        raise PermissionDenied
    form = forms.CoSignForm(request.POST)
    signatory = None
    if form.is_valid() and form.cleaned_data["signatory"]:
        signatory = next(
            (
                user
                for user in selectors.proposal_for_members(proposal, member)["can_sign_for"]
                if user.pk == form.cleaned_data["signatory"]
            ),
            None,
        )
        if signatory is None:
            return _refused(
                request,
                proposal,
                member,
                ValidationError(
                    _(
                        "You sign for yourself, or for a person you are the legal "
                        "representative of who has not signed yet."
                    )
                ),
            )
    try:
        signature = services.co_sign(member=member, proposal=proposal, signatory=signatory)
    except ValidationError as error:
        return _refused(request, proposal, member, error)
    if signature.on_behalf:
        messages.success(
            request,
            _("You signed for %(name)s, as their legal representative.")
            % {"name": signature.signatory.display_name},
        )
    else:
        messages.success(request, _("You co-signed the proposal."))
    return redirect("proposals:detail", proposal.pk)


@require_POST
def join(request, proposal_id):
    proposal, member = access.get_proposal_for_member(request.user, proposal_id)
    if not perms.can_co_sign(member, proposal):
        raise PermissionDenied
    allies = selectors.proposal_for_members(proposal, member)["my_alliances"]
    form = forms.JoinForm(request.POST, allies=allies)
    if not form.is_valid():
        return _refused(
            request,
            proposal,
            member,
            ValidationError(_("Choose the alliance that joins the proposal.")),
            join_form=form,
        )
    ally = next(a for a in allies if str(a.pk) == form.cleaned_data["alliance"])
    try:
        services.join_with_alliance(ally=ally, member=member, proposal=proposal)
    except ValidationError as error:
        return _refused(request, proposal, member, error, join_form=form)
    messages.success(request, _("Your alliance stands behind the proposal."))
    return redirect("proposals:detail", proposal.pk)


# ---------------------------------------------------------------- the decision maker


def _reloaded(obj):
    obj.refresh_from_db()
    return obj


@page_methods
def inbox(request):
    if not request.user.is_decision_maker:
        raise PermissionDenied
    return render(request, "proposals/inbox.html", {"proposals": selectors.inbox(request.user)})


@page_methods
def received(request, proposal_id):
    proposal = access.get_proposal_for_addressee(request.user, proposal_id)
    context = selectors.proposal_for_addressee(proposal)
    form = forms.AnswerForm(
        request.POST or None, steps=context["next_steps"], initial={"version": proposal.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            event, status = run_versioned_use_case(
                form,
                services.move_proposal,
                reload=lambda: _reloaded(proposal).version,
                user=request.user,
                proposal=proposal,
                status=data["status"],
                words=data["words"],
                expected_version=data["version"],
            )
            if event is not None:
                messages.success(
                    request, _("Your answer is recorded. The collective is told of it.")
                )
                return redirect("proposals:received", proposal.pk)
            if status == 409:
                # The steps open now are those of the proposal as it stands.
                context = selectors.proposal_for_addressee(proposal)
                form.fields["status"].choices = (
                    forms.AnswerForm(steps=context["next_steps"]).fields["status"].choices
                )
    return render(
        request,
        "proposals/received.html",
        {"proposal": proposal, "form": form if context["next_steps"] else None, **context},
        status=status,
    )


# ---------------------------------------------------------------- public


@login_not_required
@page_methods
def public(request, public_key):
    collective = access.get_public_collective(public_key)
    return render(
        request,
        "proposals/public.html",
        {"collective": collective, "proposals": selectors.public_proposals(collective)},
    )


# ---------------------------------------------------------------- follow-through


@page_methods
def answer_request(request, request_id):
    """The addressee answers one request; a stale version is a 409 with the words
    kept and the answer now in place shown above them."""
    proposal_request = access.get_request_for_addressee(request.user, request_id)
    proposal = proposal_request.proposal
    form = forms.RequestAnswerForm(
        request.POST or None, initial={"version": proposal_request.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            answer, status = run_versioned_use_case(
                form,
                services.answer_request,
                reload=lambda: _reloaded(proposal_request).version,
                user=request.user,
                request=proposal_request,
                decision=data["decision"],
                words=data["words"],
                expected_version=data["version"],
            )
            if answer is not None:
                messages.success(
                    request, _("Your answer is recorded. The collective is told of it.")
                )
                return redirect("proposals:received", proposal.pk)
    followed = selectors.follow_through([proposal.pk], addressee=True)[proposal.pk]
    shown = next(r for r in followed.requests if r.pk == proposal_request.pk)
    return render(
        request,
        "proposals/answer_request.html",
        {
            "proposal": proposal,
            "proposal_request": shown,
            "form": form if timeline.can_answer_request(proposal.status) else None,
        },
        status=status,
    )


@page_methods
def progress(request, proposal_id):
    proposal = access.get_proposal_for_addressee(request.user, proposal_id)
    followed = selectors.follow_through([proposal.pk], addressee=True)[proposal.pk]
    # Progress is followed on the requests accepted, wholly or partly.
    open_requests = [
        r for r in followed.requests if timeline.can_post_progress(proposal.status, r.decision)
    ]
    form = forms.ProgressForm(request.POST or None, requests=open_requests)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = data.pop("request")
            data["request"] = next((r for r in open_requests if r.pk == chosen), None)
            update = run_use_case(
                form, services.post_progress, user=request.user, proposal=proposal, **data
            )
            if update is not None:
                messages.success(request, _("The progress is posted. The collective is told."))
                return redirect("proposals:received", proposal.pk)
    return render(
        request,
        "proposals/progress.html",
        {
            "proposal": proposal,
            "followed": followed,
            "form": form if timeline.can_answer_request(proposal.status) else None,
        },
        status=status,
    )


@page_methods
def react(request, answer_id):
    answer, member = access.get_answer_for_member(request.user, answer_id)
    proposal = answer.request.proposal
    can_react = perms.can_react(member, proposal)
    mine = answer.reactions.filter(member=request.user).first()
    initial = {"satisfied": "1" if mine.satisfied else "0", "words": mine.words} if mine else {}
    form = forms.ReactionForm(request.POST or None, initial=initial) if can_react else None
    status = 200
    if request.method == "POST":
        if not can_react:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            reaction = run_use_case(
                form,
                services.react_to_answer,
                member=member,
                answer=answer,
                satisfied=form.cleaned_data["satisfied"],
                words=form.cleaned_data["words"],
            )
            if reaction is not None:
                messages.success(request, _("Your reaction is recorded. You may change it."))
                return redirect("proposals:detail", proposal.pk)
    counts = answer.reactions.aggregate(
        yes=Count("pk", filter=Q(satisfied=True)),
        no=Count("pk", filter=Q(satisfied=False)),
    )
    return render(
        request,
        "proposals/react.html",
        {
            "proposal": proposal,
            "collective": proposal.collective,
            "answer": answer,
            "proposal_request": answer.request,
            "mine": mine,
            "counts": counts,
            "words": selectors.reaction_words(answer),
            "form": form,
        },
        status=status,
    )
