"""Pages of movement 1. Thin: load through the gatekeeper, validate the form, call
the use case, render. Every page read of alliance data is written to the trail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from alliance.acting import meetings
from alliance.acting import selectors as acting_selectors
from alliance.acting.models import MeansOption, Stance
from alliance.alliances import lifecycle, perms, selectors, services
from alliance.alliances.access import get_ally_in, get_statement_in
from alliance.alliances.models import (
    AccessReissue,
    Ally,
    AllyInvitation,
    PositionCheck,
    Role,
    Signature,
    VoteValue,
)
from alliance.alliances.needs import life_domains
from alliance.alliances.positions import Image, position_of, questions_seen_differently
from alliance.alliances.voice_notes import statement_voice_note
from alliance.conflicts import ConflictError
from alliance.home.selectors import NEEDS_SHOWN, what_needs_me
from alliance.interop import perms as interop_perms
from alliance.www import reading, voice_notes
from alliance.www.acting.alerts import weather_alerts_for
from alliance.www.easy_home import easy_home
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import is_easy, is_informal, render
from alliance.www.utils import id_from, page_methods, run_use_case

from . import charter_changes, forms


def home(request):
    if request.user.is_decision_maker:
        return render(request, "home_decision_maker.html")
    home_page = what_needs_me(request.user)
    by_email = [n.invitation for n in home_page.needs if n.invitation is not None]
    context = {
        # The most urgent first; the rest is counted on each alliance's card.
        "needs": home_page.needs[:NEEDS_SHOWN],
        "more_needs": max(0, len(home_page.needs) - NEEDS_SHOWN),
        "rows": home_page.rows,
        "invitations": [a for a, _needs in home_page.rows if a.status == Ally.Status.INVITED],
        "ally_invitations": [i for i in by_email if isinstance(i, AllyInvitation)],
        "member_invitations": [i for i in by_email if not isinstance(i, AllyInvitation)],
        "can_create": not request.user.is_decision_maker,
    }
    if reading.is_easy(request):
        context |= easy_home(request.user, home_page)
    return reading.render(request, "home.html", context)


@page_methods
def create(request):
    if request.user.is_decision_maker:
        raise PermissionDenied
    creator_is_person = not request.user.is_professional
    form = forms.AllianceForm(request.POST or None, creator_is_person=creator_is_person)
    if request.method == "POST" and form.is_valid():
        alliance = run_use_case(
            form, services.create_alliance, creator=request.user, **form.cleaned_data
        )
        if alliance is not None:
            person = alliance.allies.select_related("user").filter(role=Role.PERSON).first()
            creator = alliance.allies.get(user=request.user)
            if person is not None and perms.can_hand_over_letter(creator, person, alliance):
                # The person has no email: nothing reaches them until the letter does.
                messages.success(
                    request,
                    _("The alliance is created. Now give %(name)s their activation letter.")
                    % {"name": person.user.display_name},
                )
                return redirect("alliances:letter", alliance.pk, person.pk)
            messages.success(request, _("The alliance is created. Invite the allies."))
            return redirect("alliances:overview", alliance.pk)
    return render(
        request,
        "alliances/create.html",
        {"form": form, "can_import_dui": interop_perms.can_import_dui(request.user)},
        status=400 if form.errors else 200,
    )


def _standings_context(alliance, me, error=None, error_for=None):
    overview = selectors.alliance_overview(alliance, me)
    return {
        **overview,
        # The easy-read standings show a message waiting for my answer once, there.
        "waiting_pks": {view.statement.pk for view in overview.get("to_vote", ())},
        "vote_choices": VoteValue.choices,
        "vote_error": error,
        "vote_error_for": error_for,
    }


def _roster(alliance, me, allies):
    """Who is in the alliance, what `me` may do about each, and who was in it. A
    minor or protected person gets no button to invite, hand over access or remove:
    their legal representative does that (issue 11); they still approve arrivals."""
    by_id = {a.pk: a for a in allies}
    former = [a for a in allies if a.status in services.DEPARTED]
    for ally in former:
        ally.remover = by_id.get(ally.removed_by_id)
    if perms.is_protected_person(me, alliance):
        return {
            "roster": [a for a in allies if a.status not in services.DEPARTED],
            "former": former,
            "decidable": {
                a.pk
                for a in allies
                if a.status == Ally.Status.AWAITING_APPROVAL and perms.can_decide_on(me, a, allies)
            },
            "removable": set(),
            "can_leave": False,
            "can_record_mandate": False,
            "can_set_planning": False,
            "letterable": set(),
            "reissuable": set(),
            "reissues": [],
        }
    return {
        "roster": [a for a in allies if a.status not in services.DEPARTED],
        "former": former,
        "decidable": {
            a.pk
            for a in allies
            if a.status == Ally.Status.AWAITING_APPROVAL and perms.can_decide_on(me, a, allies)
        },
        "removable": {a.pk for a in allies if perms.can_remove(me, a)},
        "can_leave": perms.can_leave(me),
        "can_record_mandate": perms.can_record_mandate(me, me),
        "can_set_planning": perms.can_set_planning_codes(me),
        # Activation letters and lost access (ADR 0013).
        "letterable": {a.pk for a in allies if perms.can_hand_over_letter(me, a, alliance)},
        "reissuable": {a.pk for a in allies if perms.can_request_reissue(me, a)},
        "reissues": _pending_reissues(alliance, me, by_id),
    }


def _pending_reissues(alliance, me, by_id):
    """New accesses asked and waiting for a second ally: every active ally sees them."""
    if not perms.can_see_content(me):
        return []
    pending = list(alliance.reissues.filter(status=AccessReissue.Status.PENDING))
    for reissue in pending:
        reissue.ally, reissue.requested_by = by_id[reissue.ally_id], by_id[reissue.requested_by_id]
        reissue.may_approve = perms.can_approve_reissue(me, reissue)
    return pending


@alliance_view("overview", content=False)
def overview(request, alliance, me):
    context = {
        "alliance": alliance,
        "me": me,
        "can_invite": perms.can_invite(me, alliance)
        and not perms.is_protected_person(me, alliance),
        "invitations": [
            (invitation, perms.can_withdraw_invitation(me, invitation))
            for invitation in selectors.pending_invitations(alliance)
        ],
    }
    if perms.can_see_content(me):
        context.update(_standings_context(alliance, me))
        context["charter"] = selectors.current_charter(alliance)
        context["review_status"] = acting_selectors.review_status(alliance)
        context["weather_alerts"] = weather_alerts_for(
            alliance, me, easy=is_easy(request), tu=is_informal(request)
        )
        context["next_meeting"] = meetings.next_meeting(alliance)
        context["weather_prompts"] = meetings.pending_weather_prompts(me)
    else:
        context.update(allies=list(alliance.allies.select_related("user")))
    context.update(_roster(alliance, me, context["allies"]))
    # Who a colleague waiting for approval would replace (a handover, ADR 0023): read
    # only when someone waits.
    waiting = any(a.status == Ally.Status.AWAITING_APPROVAL for a in context["allies"])
    replacing = lifecycle.replacing(alliance) if waiting else {}
    for ally in context["allies"]:
        ally.replaces = replacing.get(ally.pk, "")
    if is_easy(request) and perms.can_see_content(me):
        context.update(_tiles(alliance, me, context))
    return render(request, "alliances/overview.html", context)


def _tiles(alliance, me, context):
    """The status line of each picture tile of the easy-read alliance home, and the
    one thing that waits first: two queries more than the page (whether the viewer
    signed and how many means wait for their stance, together; the weather)."""
    charter = context["charter"]
    waiting_means = (
        MeansOption.objects.filter(alliance=alliance, decision__isnull=True)
        .exclude(Exists(Stance.objects.filter(option=OuterRef("pk"), ally=me)))
        .order_by()
        .values("alliance_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mine_now = (
        Ally.objects.filter(pk=me.pk)
        .annotate(
            signed=Exists(
                Signature.objects.filter(charter_id=getattr(charter, "pk", None), ally=me)
            ),
            means_waiting=Coalesce(Subquery(waiting_means), 0),
        )
        .values("signed", "means_waiting")
        .get()
    )
    i_signed, means_waiting = mine_now["signed"], mine_now["means_waiting"]
    weather_due = me.pk in acting_selectors.weather_to_give([me.pk])
    mine = [v for v in context["statements"] if v.statement.author_id == me.pk]
    if context["decidable"]:
        first = "approve"
    elif context["to_vote"]:
        first = "agree"
    elif charter is not None and not i_signed and charter.status != charter.Status.SIGNED:
        first = "charter"
    elif means_waiting:
        first = "means"
    elif weather_due:
        first = "weather"
    else:
        first = "words"
    return {
        "my_statements": mine,
        "i_signed": i_signed,
        "means_waiting": means_waiting,
        "weather_due": weather_due,
        "first": first,
    }


@require_POST
@alliance_view(content=False)
def join(request, alliance, me):
    if request.POST.get("answer") == "decline":
        messages.info(request, _("You have not joined this alliance."))
        return redirect("home")
    try:
        services.accept_invitation(ally=me)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if me.role == Role.REPRESENTATIVE and not me.mandate_is_recorded:
            messages.info(
                request,
                _(
                    "You joined. Record your mandate of legal representative: another ally "
                    "then approves your arrival."
                ),
            )
            return redirect("alliances:mandate", alliance.pk)
        if me.is_active:
            messages.success(request, _("Welcome to the alliance."))
        else:
            messages.info(
                request,
                _(
                    "You joined. The person, or their legal representative, "
                    "will now approve your arrival."
                ),
            )
    return redirect("alliances:overview", alliance.pk)


@alliance_view("invite", content=False)
def invite(request, alliance, me):
    if not perms.can_invite(me, alliance):
        raise PermissionDenied
    form = forms.InviteForm(request.POST or None, easy=is_easy(request))
    if request.method == "POST" and form.is_valid():
        invited = run_use_case(form, services.invite_ally, inviter=me, **form.cleaned_data)
        if invited is not None:
            # The same page whether or not an account uses the address, and never a
            # credential: the name shown is the one the inviter typed.
            return render(
                request,
                "alliances/invited.html",
                {
                    "alliance": alliance,
                    "me": me,
                    "name": form.cleaned_data["display_name"].strip(),
                    "email": form.cleaned_data["email"],
                    "role": invited.get_role_display(),
                    "letter_for": invited
                    if isinstance(invited, Ally)
                    and perms.can_hand_over_letter(me, invited, alliance)
                    else None,
                },
            )
    return render(
        request,
        "alliances/invite.html",
        {"alliance": alliance, "me": me, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@alliance_view(content=False)
def withdraw_invitation(request, alliance, me, invitation_id):
    invitation = alliance.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    try:
        services.withdraw_ally_invitation(by=me, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("alliances:overview", alliance.pk)


@require_POST
@alliance_view(content=False)
def decide(request, alliance, me, ally_id):
    # Not content-only: at the start, an ally still waiting may approve a representative.
    ally = get_ally_in(alliance, ally_id)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_on_ally(approver=me, ally=ally, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        message = _("%(name)s is now in the alliance.") if approve else _("%(name)s will not join.")
        messages.success(request, message % {"name": ally.user.display_name})
    return redirect("alliances:overview", alliance.pk)


@alliance_view("remove_ally", content=False)
def remove_ally(request, alliance, me, ally_id):
    """Asks to confirm first; the POST removes."""
    ally = get_ally_in(alliance, ally_id)
    if not perms.can_remove(me, ally):
        raise PermissionDenied
    form = forms.RemoveAllyForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_use_case(form, services.remove_ally, remover=me, ally=ally, **form.cleaned_data)
    ):
        messages.success(
            request,
            _("%(name)s is no longer in the alliance.") % {"name": ally.user.display_name},
        )
        return redirect("alliances:overview", alliance.pk)
    return render(
        request,
        "alliances/remove_ally.html",
        {"alliance": alliance, "me": me, "ally": ally, "form": form},
        status=400 if form.errors else 200,
    )


@alliance_view("leave", content=False)
def leave(request, alliance, me):
    """Asks to confirm first; the POST leaves. The person is told what they can do instead."""
    if request.method == "POST" and perms.can_leave(me):
        services.leave_alliance(ally=me)
        messages.success(
            request,
            _("You have left the alliance “%(title)s”.") % {"title": alliance.title},
        )
        return redirect("home")
    return render(
        request,
        "alliances/leave.html",
        {"alliance": alliance, "me": me, "can_leave": perms.can_leave(me)},
        status=403 if request.method == "POST" else 200,
    )


@alliance_view("mandate", content=False)
def mandate(request, alliance, me):
    """A legal representative records or corrects their own mandate."""
    if not perms.can_record_mandate(me, me):
        raise PermissionDenied
    initial = {
        "mandate_kind": me.mandate_kind,
        "mandate_reference": me.mandate_reference,
        "mandate_date": me.mandate_date,
    }
    form = forms.MandateForm(request.POST or None, initial=initial)
    was_active = me.is_active
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_use_case(
            form,
            services.record_mandate,
            ally=me,
            kind=data["mandate_kind"],
            reference=data["mandate_reference"],
            date=data["mandate_date"],
        )
        if done is not None:
            if was_active and not done.is_active:
                messages.info(
                    request,
                    _(
                        "Your mandate is saved. Since the legal measure changed, another ally "
                        "approves it again; until then you act only in your own name."
                    ),
                )
            else:
                messages.success(request, _("Your mandate is saved."))
            return redirect("alliances:overview", alliance.pk)
    return render(
        request,
        "alliances/mandate.html",
        {"alliance": alliance, "me": me, "form": form},
        status=400 if form.errors else 200,
    )


@alliance_view("recognition")
def recognition(request, alliance, me):
    initial = {"brings": me.recognition_brings, "expects": me.recognition_expects}
    form = forms.RecognitionForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_use_case(form, services.write_recognition, ally=me, **form.cleaned_data)
    ):
        messages.success(request, _("Your recognition is saved."))
        return redirect("alliances:overview", alliance.pk)
    return render(
        request,
        "alliances/recognition.html",
        {"alliance": alliance, "me": me, "form": form},
        status=400 if form.errors else 200,
    )


def _live_allies(alliance):
    return alliance.allies.filter(status=Ally.Status.ACTIVE).select_related("user")


def _quote_to_confirm(form, alliance):
    """The masked words the author has yet to see and confirm before saving, if they
    let their words go up; None when there is nothing (more) to confirm."""
    if not form.cleaned_data["may_quote"]:
        return None
    quote = services.quote_of(alliance=alliance, text=form.cleaned_data["text"])
    if form.cleaned_data["confirmed_quote"].replace("\r\n", "\n") == quote:
        return None
    form.ask_to_confirm(quote)
    return quote


@alliance_view("statement_new")
def statement_new(request, alliance, me):
    initial = {"kind": request.GET.get("kind")}
    # "Write it in my own words" from words imported from the DUI (ADR 0031): the
    # person starts from them, and what they save is theirs, written by them.
    imported_id = id_from(request.GET, "from")
    if imported_id is not None:
        imported = get_statement_in(alliance, imported_id)
        if imported.source:
            initial = {"kind": imported.kind, "text": imported.text}
    form = forms.StatementForm(
        request.POST or None,
        allies=_live_allies(alliance),
        author=me,
        initial=initial,
    )
    quote = None
    if request.method == "POST" and form.is_valid():
        quote = _quote_to_confirm(form, alliance)
        if quote is None:
            statement = run_use_case(form, services.write_statement, ally=me, **form.cleaned_data)
            if statement is not None:
                messages.success(request, _("Your statement is shared with the allies."))
                if is_easy(request):
                    return redirect("alliances:words", alliance.pk)
                return redirect("alliances:overview", alliance.pk)
    return render(
        request,
        "alliances/statement_form.html",
        {"alliance": alliance, "me": me, "form": form, "quote": quote},
        status=400 if form.errors else 200,
    )


@alliance_view("words")
def words(request, alliance, me):
    """My messages and how the others answered them, and the way to write one more:
    the easy-read home's "What matters to me" (the overview's selector, no more)."""
    context = _standings_context(alliance, me)
    mine = [v for v in context["statements"] if v.statement.author_id == me.pk]
    return render(
        request,
        "alliances/words.html",
        {"alliance": alliance, "me": me, **context, "mine": mine},
    )


@alliance_view("agree")
def agree(request, alliance, me):
    """The others' messages waiting for my answer first, then what we agree on and
    what we do not: the easy-read home's "Do we agree?" (the overview's selector)."""
    context = _standings_context(alliance, me)
    return render(request, "alliances/agree.html", {"alliance": alliance, "me": me, **context})


@alliance_view("statement")
def statement_detail(request, alliance, me, statement_id):
    statement = get_statement_in(alliance, statement_id)
    revisions = statement.revisions.select_related("supported_by__user")
    note = statement_voice_note(statement)
    return render(
        request,
        "alliances/statement_detail.html",
        {
            "alliance": alliance,
            "me": me,
            "statement": statement,
            "revisions": revisions,
            "can_change": perms.can_change_statement(me, statement),
            "voice": voice_notes.statement_panel(alliance, me, statement, note),
        },
    )


@alliance_view("statement_edit")
def statement_edit(request, alliance, me, statement_id):
    statement = get_statement_in(alliance, statement_id)
    if not perms.can_change_statement(me, statement) or statement.withdrawn_at:
        raise PermissionDenied
    form = forms.StatementForm(
        request.POST or None,
        allies=_live_allies(alliance),
        author=me,
        initial={
            "kind": statement.kind,
            "text": statement.text,
            "supported_by": statement.supported_by,
            "may_quote": statement.may_quote,
            "confirmed_quote": statement.quote_text,
        },
    )
    status = 200
    quote = None
    if request.method == "POST" and form.is_valid():
        quote = _quote_to_confirm(form, alliance)
    if request.method == "POST" and form.is_valid() and quote is None:
        # A missing or malformed version is refused as a stale one: 409.
        expected = id_from(request.POST, "version") or 0
        try:
            if run_use_case(
                form,
                services.change_statement,
                ally=me,
                statement=statement,
                expected_version=expected,
                **form.cleaned_data,
            ):
                messages.success(
                    request, _("Your statement is changed; the old words stay in its history.")
                )
                return redirect("alliances:statement", alliance.pk, statement.pk)
        except ConflictError as conflict:
            form.add_error(None, str(conflict))
            statement.refresh_from_db()
            status = 409
    return render(
        request,
        "alliances/statement_form.html",
        {
            "alliance": alliance,
            "me": me,
            "form": form,
            "statement": statement,
            "quote": quote,
        },
        status=status if not form.errors or status == 409 else 400,
    )


@require_POST
@alliance_view()
def statement_withdraw(request, alliance, me, statement_id):
    statement = get_statement_in(alliance, statement_id)
    try:
        services.withdraw_statement(ally=me, statement=statement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your statement is withdrawn."))
    return redirect("alliances:overview", alliance.pk)


@require_POST
@alliance_view("overview")
def vote(request, alliance, me, statement_id):
    statement = get_statement_in(alliance, statement_id)
    form = forms.VoteForm(request.POST)
    error = None
    before = selectors.standing_of(alliance, statement) if request.htmx else None
    if form.is_valid():
        try:
            services.cast_vote(ally=me, statement=statement, value=form.cleaned_data["value"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose agree, disagree, not sure or pass.")
    if request.htmx:
        return _vote_fragment(request, alliance, me, statement, before, error)
    if error:
        messages.error(request, error)
    back = "alliances:agree" if is_easy(request) else "alliances:overview"
    return redirect(reverse(back, args=[alliance.pk]) + f"#s{statement.pk}")


def _vote_fragment(request, alliance, me, statement, before, error):
    """Only what the vote changed: the statement's card, in place. A vote that moves
    the statement to another column changes both columns and their counts: then the
    standings come whole, in place of the ones shown."""
    status = 400 if error else 200
    view = selectors.statement_view(alliance, me, statement)
    # The easy-read standings show a message both among those waiting for my answer
    # and in its column: after a vote, they come whole.
    if not is_easy(request) and view is not None and view.standing == before:
        context = {
            "alliance": alliance,
            "me": me,
            "view": view,
            "vote_choices": VoteValue.choices,
            "vote_error": error,
            "vote_error_for": statement.pk,
        }
        return render(request, "alliances/overview.html#statement-card", context, status=status)
    context = {
        "alliance": alliance,
        "me": me,
        **_standings_context(alliance, me, error=error, error_for=statement.pk),
    }
    response = render(request, "alliances/overview.html#standings", context, status=status)
    return reswap(retarget(response, "#standings"), "outerHTML")


@alliance_view("asymmetries")
def asymmetries(request, alliance, me):
    form = forms.AsymmetryForm(request.POST or None, allies=_live_allies(alliance))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_use_case(form, services.add_asymmetry, ally=me, **form.cleaned_data)
    ):
        messages.success(request, _("Added to the register."))
        return redirect("alliances:asymmetries", alliance.pk)
    entries = alliance.asymmetries.select_related("author__user").prefetch_related("holders__user")
    return render(
        request,
        "alliances/asymmetries.html",
        {
            "alliance": alliance,
            "me": me,
            "form": form,
            "entries": entries,
        },
        status=400 if form.errors else 200,
    )


def _represented_person(me, person, alliance):
    """The person this ally may sign and commit for, if any."""
    if person is not None and person.pk != me.pk and perms.can_sign_for(me, person, alliance):
        return person
    return None


def _charter_context(alliance, me, charter, forms_override=None, *, easy=False):
    charter = selectors.charter_detail(charter)
    allies = list(_live_allies(alliance))
    overview = selectors.alliance_overview(alliance, me)
    adopted = {i.statement_id for i in charter.interests.all()}
    revision = {"revision": charter.revision}
    signed_ids = {s.ally_id for s in charter.signatures.all()}
    person = next((a for a in allies if a.role == "person"), None)
    context = {
        "alliance": alliance,
        "me": me,
        "charter": charter,
        "allies": allies,
        "adoptable": [v for v in overview["common_ground"] if v.statement.pk not in adopted],
        "blockers": services.signing_blockers(charter, allies),
        "signed_ids": signed_ids,
        "i_signed": me.pk in signed_ids,
        "can_sign_for_person": bool(
            person
            and person.pk not in signed_ids
            and perms.can_sign_for(me, person, alliance)
            and person.pk != me.pk
        ),
        "person": person,
        "versions": alliance.charters.order_by("-number").only("number", "status", "signed_at"),
        "understanding_history": selectors.understanding_history(alliance),
        "commitment_form": forms.CommitmentForm(
            initial=revision, person=_represented_person(me, person, alliance)
        ),
        "understanding_form": forms.UnderstandingForm(
            initial={**revision, "text": charter.shared_understanding}
        ),
        "perimeter_form": forms.PerimeterForm(initial=revision, domains=life_domains()),
        "indicator_form": forms.IndicatorForm(initial=revision, allies=_live_allies(alliance)),
    }
    signed_before = selectors.version_i_signed_before(alliance, me, charter)
    if signed_before is not None:
        context |= {
            "signed_before": signed_before,
            "since_signed": (since := selectors.charter_changes(signed_before, charter)),
            "since_lines": charter_changes.lines(since, easy=easy),
        }
    context.update(forms_override or {})
    if charter.is_current:
        from alliance.www.reports.views import attach_need_coding

        attach_need_coding(charter, alliance)
    return context


@alliance_view("charter")
def charter(request, alliance, me):
    current = selectors.current_charter(alliance)
    if current is None:
        raise Http404
    return render(
        request,
        "alliances/charter.html",
        _charter_context(alliance, me, current, easy=is_easy(request)),
    )


CHARTER_SECTIONS = {
    "interests",
    "remove-interest",
    "commitments",
    "remove-commitment",
    "perimeter",
    "indicators",
    "understanding",
    "sign",
}


@require_POST
@alliance_view("charter")
def charter_edit(request, alliance, me, section):
    if section not in CHARTER_SECTIONS:
        raise Http404
    current = services.current_charter(alliance)
    form_class, form_name, extra = {
        "commitments": (
            forms.CommitmentForm,
            "commitment_form",
            {
                "person": _represented_person(
                    me, alliance.allies.filter(role="person").first(), alliance
                )
            },
        ),
        "understanding": (forms.UnderstandingForm, "understanding_form", {}),
        "perimeter": (forms.PerimeterForm, "perimeter_form", {"domains": life_domains()}),
        "indicators": (forms.IndicatorForm, "indicator_form", {"allies": _live_allies(alliance)}),
    }.get(section, (forms.SignForm if section == "sign" else forms.CharterRevisionForm, None, {}))
    form = form_class(request.POST, **extra)
    status, done = 400, None
    if form.is_valid():
        data, revision = form.cleaned_data, form.cleaned_data["revision"]
        common = {"ally": me, "charter": current, "expected_revision": revision}
        try:
            if section == "interests":
                statement = get_statement_in(alliance, id_from(request.POST, "statement"))
                done = run_use_case(form, services.adopt_interest, statement=statement, **common)
            elif section == "remove-interest":
                done = run_use_case(
                    form,
                    services.remove_interest,
                    interest_id=id_from(request.POST, "interest"),
                    **common,
                )
            elif section == "commitments":
                for_ally = form.person if data.get("for_person") else None
                done = run_use_case(
                    form, services.add_commitment, text=data["text"], for_ally=for_ally, **common
                )
            elif section == "remove-commitment":
                done = run_use_case(
                    form,
                    services.remove_commitment,
                    commitment_id=id_from(request.POST, "commitment"),
                    **common,
                )
            elif section == "perimeter":
                label, code = form.label_and_code()
                done = run_use_case(
                    form,
                    services.set_perimeter,
                    label=label,
                    domain_code=code,
                    status=data["status"],
                    **common,
                )
            elif section == "indicators":
                done = run_use_case(
                    form,
                    services.add_indicator,
                    name=data["name"],
                    scale_min=data["scale_min"],
                    scale_max=data["scale_max"],
                    raters=list(data["raters"]),
                    **common,
                )
            elif section == "understanding":
                done = run_use_case(
                    form, services.write_shared_understanding, text=data["text"], **common
                )
            elif section == "sign":
                signee = get_ally_in(alliance, data["signee"]) if data.get("signee") else None
                done = run_use_case(form, services.sign_charter, signee=signee, **common)
        except ConflictError as conflict:
            form.add_error(None, str(conflict))
            status = 409
    if done is not None:
        messages.success(
            request,
            _("Your signature is recorded.") if section == "sign" else _("The charter is saved."),
        )
        return redirect(reverse("alliances:charter", args=[alliance.pk]) + f"#{section}")
    # Re-show the page with the user's text kept in its form and the errors on top.
    context = _charter_context(
        alliance,
        me,
        services.current_charter(alliance),
        {form_name: form} if form_name else {},
        easy=is_easy(request),
    )
    context.update(
        section_errors=form.non_field_errors()
        or [e for errs in form.errors.values() for e in errs],
        failed_section=section,
        conflict=status == 409,
    )
    if form_name:
        form.data = form.data.copy()
        form.data["revision"] = context["charter"].revision
    return render(request, "alliances/charter.html", context, status=status)


@alliance_view("charter_version")
def charter_version(request, alliance, me, number):
    version = alliance.charters.filter(number=number).first()
    if version is None:
        raise Http404
    return render(
        request,
        "alliances/charter_version.html",
        {
            "alliance": alliance,
            "me": me,
            "charter": selectors.charter_detail(version),
            "person": alliance.allies.select_related("user").filter(role=Role.PERSON).first(),
        },
    )


@alliance_view("positions")
def positions(request, alliance, me):
    form = forms.PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = run_use_case(form, services.record_position_check, ally=me, **form.cleaned_data)
        if check is not None:
            messages.success(request, _("Thank you. Your answer is added to the history."))
            return redirect("alliances:positions", alliance.pk)
    checks = list(PositionCheck.objects.filter(alliance=alliance).select_related("ally__user"))
    latest = {}
    for check in checks:
        latest.setdefault(check.ally_id, check)
    person = next((c for c in latest.values() if c.ally.role == Role.PERSON), None)
    return render(
        request,
        "alliances/positions.html",
        {
            "alliance": alliance,
            "me": me,
            "form": form,
            "checks": checks,
            "latest": list(latest.values()),
            "mine": latest.get(me.pk),
            "images": list(Image),
            "seen_differently": _seen_differently(person, latest.values()),
        },
        status=400 if form.errors else 200,
    )


def _seen_differently(person_check, latest):
    """The questions on which the person's latest answer and a professional's lead
    to a different leader: a question to talk about, never a score."""
    if person_check is None:
        return []

    def position(check):
        return position_of(
            chooses_path=check.chooses_path,
            sets_pace=check.sets_pace,
            walks_ahead=check.walks_ahead,
            answered_by_person=check.ally.role == Role.PERSON,
        )

    professionals = [position(c) for c in latest if c.ally.role == Role.PROFESSIONAL]
    return questions_seen_differently(position(person_check), professionals)


TRAIL_PAGE_SIZE = 50


@alliance_view("trail")
def trail(request, alliance, me):
    """The trail, newest first, a page at a time: nothing pushes an entry out of reach.
    Bad filters are shown with their message, over the default listing."""
    allies = alliance.allies.select_related("user").order_by("user__display_name", "pk")
    form = forms.TrailForm(request.GET, allies=allies)
    filters = form.filters() if form.is_valid() else {}
    paginator = Paginator(selectors.trail(alliance, viewer=me, **filters), TRAIL_PAGE_SIZE)
    entries = paginator.get_page(request.GET.get("page"))
    context = {"alliance": alliance, "me": me, "form": form, "entries": entries}
    if is_easy(request):
        # Who looked, one line per person and day; the entries stay one tap away.
        context["reads"] = selectors.reads_by_day(alliance, viewer=me)
    return render(request, "alliances/trail.html", context, status=400 if form.errors else 200)


@alliance_view("charter_diff")
def charter_diff(request, alliance, me):
    """What changed between two versions, in plain words. Without a choice, the two
    latest versions; a bad choice says so (400) over the form."""
    numbers = list(alliance.charters.order_by("number").values_list("number", flat=True))
    query = request.GET if "from" in request.GET or "to" in request.GET else None
    if query is None and len(numbers) > 1:
        query = {"from": numbers[-2], "to": numbers[-1]}
    form = forms.CharterCompareForm(query, numbers=numbers)
    context = {"alliance": alliance, "me": me, "form": form, "numbers": numbers}
    if form.is_valid():
        older, newer = (
            alliance.charters.get(number=form.cleaned_data["from"]),
            alliance.charters.get(number=form.cleaned_data["to"]),
        )
        context |= {
            "older": older,
            "newer": newer,
            "diff": (diff := selectors.charter_changes(older, newer)),
            "lines": charter_changes.lines(diff, easy=is_easy(request)),
        }
    return render(
        request, "alliances/charter_diff.html", context, status=400 if form.errors else 200
    )
