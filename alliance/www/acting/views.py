"""Pages of movement 2: means negotiation, co-action plan (with capacities and
constraints), journal of the way, indicators and the alliance weather. Thin: load
through the gatekeeper, validate the form, call the use case, render. A refused
write shows the page again with the user's input kept and the message on top (400,
or 409 for a stale version)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.acting import meetings, perms, selectors, services, weather
from alliance.acting.models import (
    ITEM_LABELS,
    Action,
    JournalEntry,
    MeansDecision,
    MeansOption,
    Review,
)
from alliance.alliances.access import get_ally_in
from alliance.alliances.models import Charter, Role
from alliance.alliances.needs import life_domains
from alliance.charts import Scale
from alliance.conflicts import ConflictError
from alliance.www import voice_notes
from alliance.www.attachments.entries import with_entry_files
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import is_easy, is_informal, render
from alliance.www.utils import run_use_case

from . import alerts, charts, easy, forms


def _get(model, alliance, pk):
    """Objects of this alliance only: anything else is not found."""
    try:
        return model.objects.get(alliance=alliance, pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _render_failed(request, page, context, form, status):
    context.update(
        failed_form=form,
        status_errors=form.non_field_errors() or [e for errs in form.errors.values() for e in errs],
    )
    return render(request, page, context, status=status)


def _post_use_case(form, use_case, **kwargs):
    """Runs the use case; returns (result, status) with 409 for a stale version."""
    try:
        result = run_use_case(form, use_case, **kwargs)
    except ConflictError as conflict:
        form.add_error(None, str(conflict))
        return None, 409
    return result, 400


# ---------------------------------------------------------------- means


def _means_context(alliance, me, form=None, *, chosen=None, words=False):
    """`chosen`: in easy-read, the one solution shown with its decision; `words`:
    the fields named in everyday words."""
    groups = selectors.means_by_interest(alliance)
    for group in groups:
        for option in group["options"]:
            easy.count_stances(option, me)
            scope = f"o{option.pk}"
            option.stance_form = forms.StanceForm(scope=f"{scope}_stance")
            option.decision_form = forms.DecisionForm(
                scope=f"{scope}_decide", initial={"version": option.version}
            )
            option.availability_form = forms.AvailabilityForm(
                scope=f"{scope}_avail",
                initial={"version": option.version, "status": option.availability or None},
            )
            option.dissent = [s for s in option.current_stances if s.value != "support"]
            if words:
                easy.relabel(option.stance_form, "stance")
                easy.relabel(option.decision_form, "decision")
    interests = services.adopted_interests(alliance)
    form = form or forms.MeansForm(interests=interests, needs=life_domains())
    return {
        "alliance": alliance,
        "me": me,
        "groups": groups,
        "signed": services.alliance_has_signed_charter(alliance),
        "can_decide": perms.can_consent_for_person(me),
        "form": _easy_means_form(form) if words else form,
        "chosen": easy.chosen_option(groups, chosen) if chosen else None,
    }


def _easy_means_form(form):
    """The person's version: the service code is the organisation's planning word,
    not the person's; it is left out (and saved blank when the person proposes)."""
    form.fields.pop("prestation_code", None)
    return easy.relabel(form, "means")


def _refused_before_signature(form, alliance):
    """Means and actions wait for a charter signed by every ally: the form says so
    and nothing is saved."""
    if services.alliance_has_signed_charter(alliance):
        return False
    form.is_valid()
    form.add_error(
        None,
        _("The means and the actions are negotiated once the charter is signed by every ally."),
    )
    return True


@alliance_view("means")
def means(request, alliance, me):
    form = None
    if request.method == "POST":
        form = forms.MeansForm(
            request.POST, interests=services.adopted_interests(alliance), needs=life_domains()
        )
        if not _refused_before_signature(form, alliance) and form.is_valid():
            data = form.cleaned_data
            if run_use_case(
                form,
                services.propose_means,
                ally=me,
                interest_statement_id=data["interest"],
                description=data["description"],
                need_code=data["need_code"],
                prestation_code=data["prestation_code"],
            ):
                messages.success(
                    request, _("The means is proposed. Each ally can now take a stance.")
                )
                return redirect("acting:means", alliance.pk)
    words = is_easy(request)
    chosen = request.GET.get("solution") if words and form is None else None
    return render(
        request,
        "acting/means.html",
        _means_context(alliance, me, form, chosen=chosen, words=words),
        status=400 if form is not None and form.errors else 200,
    )


def _option_post(request, alliance, me, option_id, form_class, scope, call, done):
    option = _get(MeansOption, alliance, option_id)
    form = form_class(request.POST, scope=f"o{option.pk}_{scope}")
    status = 400
    if form.is_valid():
        result, status = _post_use_case(form, call, option=option, **form.cleaned_data)
        if result is not None:
            messages.success(request, done)
            if is_easy(request):  # back to the solution's own screen
                return redirect(
                    reverse("acting:means", args=[alliance.pk]) + f"?solution={option.pk}"
                )
            return redirect(reverse("acting:means", args=[alliance.pk]) + f"#o{option.pk}")
    words = is_easy(request)
    context = _means_context(alliance, me, chosen=option.pk if words else None, words=words)
    attr = {"stance": "stance_form", "decide": "decision_form", "avail": "availability_form"}[scope]
    for group in context["groups"]:
        for shown in group["options"]:
            if shown.pk == option.pk:
                setattr(shown, attr, form)  # the user's input stays in its form
    return _render_failed(request, "acting/means.html", context, form, status)


@require_POST
@alliance_view("means")
def stance(request, alliance, me, option_id):
    def call(*, option, value, reason):
        return services.take_stance(ally=me, option=option, value=value, reason=reason)

    return _option_post(
        request,
        alliance,
        me,
        option_id,
        forms.StanceForm,
        "stance",
        call,
        _("Your stance is recorded."),
    )


@require_POST
@alliance_view("means")
def decide(request, alliance, me, option_id):
    def call(*, option, consent, note, version):
        return services.decide_means(
            ally=me, option=option, consent=consent, note=note, expected_version=version
        )

    return _option_post(
        request,
        alliance,
        me,
        option_id,
        forms.DecisionForm,
        "decide",
        call,
        _("The decision is recorded, with every dissent beside it."),
    )


@require_POST
@alliance_view("means")
def availability(request, alliance, me, option_id):
    def call(*, option, status, since, note, version):
        return services.set_availability(
            ally=me, option=option, status=status, since=since, note=note, expected_version=version
        )

    return _option_post(
        request,
        alliance,
        me,
        option_id,
        forms.AvailabilityForm,
        "avail",
        call,
        _("The availability is recorded."),
    )


# ---------------------------------------------------------------- actions


def _decided_means(alliance):
    return [
        d.option
        for d in MeansDecision.objects.filter(option__alliance=alliance).select_related("option")
    ]


def _actions_context(alliance, me, form=None, capacity_form=None, *, words=False):
    actions = selectors.plan(alliance)
    for action in actions:
        action.needs_agreement = services.needs_person_agreement(action)
        action.join_form = forms.JoinForm(scope=f"a{action.pk}_join")
        action.mine = next((c for c in action.co_actors.all() if c.ally_id == me.pk), None)
        action.others = [c for c in action.co_actors.all() if c.ally_id != me.pk]
        if words:
            easy.relabel(action.join_form, "join")
    form = form or forms.ActionForm(
        domains=services.perimeter_in_alliance(alliance), means=_decided_means(alliance)
    )
    return {
        "alliance": alliance,
        "me": me,
        "actions": actions,
        "signed": services.alliance_has_signed_charter(alliance),
        "can_agree": perms.can_consent_for_person(me),
        "capacities": alliance.capacities.select_related("author__user"),
        "form": easy.relabel(form, "action") if words else form,
        # In easy-read the first action waiting for the person's agreement carries the
        # page's one main button; the others wait their turn below.
        "first_waiting": next((a.pk for a in actions if a.needs_agreement), None),
        "capacity_form": capacity_form or forms.CapacityForm(scope="capacity"),
    }


@alliance_view("actions")
def actions(request, alliance, me):
    form = None
    if request.method == "POST":
        form = forms.ActionForm(
            request.POST,
            domains=services.perimeter_in_alliance(alliance),
            means=_decided_means(alliance),
        )
        if not _refused_before_signature(form, alliance) and form.is_valid():
            data = dict(form.cleaned_data)
            data["means"] = _get(MeansOption, alliance, data["means"]) if data["means"] else None
            if run_use_case(form, services.plan_action, ally=me, **data):
                messages.success(request, _("The action is in the plan."))
                return redirect("acting:actions", alliance.pk)
    return render(
        request,
        "acting/actions.html",
        _actions_context(alliance, me, form, words=is_easy(request)),
        status=400 if form is not None and form.errors else 200,
    )


def _action_post(request, alliance, me, action, form, call, done):
    status = 400
    if form.is_valid():
        result, status = _post_use_case(form, call, action=action, **form.cleaned_data)
        if result is not None:
            messages.success(request, done)
            return redirect(reverse("acting:actions", args=[alliance.pk]) + f"#a{action.pk}")
    context = _actions_context(alliance, me, words=is_easy(request))
    if isinstance(form, forms.JoinForm):
        for shown in context["actions"]:
            if shown.pk == action.pk:
                shown.join_form = form
    return _render_failed(request, "acting/actions.html", context, form, status)


@require_POST
@alliance_view("actions")
def join_action(request, alliance, me, action_id):
    action = _get(Action, alliance, action_id)

    def call(*, action, role):
        return services.join_action(ally=me, action=action, role=role)

    return _action_post(
        request,
        alliance,
        me,
        action,
        forms.JoinForm(request.POST, scope=f"a{action.pk}_join"),
        call,
        _("Your role is recorded."),
    )


@require_POST
@alliance_view("actions")
def agree_action(request, alliance, me, action_id):
    action = _get(Action, alliance, action_id)
    if not perms.can_consent_for_person(me):
        raise PermissionDenied
    if action.agreed_by_id is None:
        services.agree_to_action(ally=me, action=action)
    messages.success(request, _("Your agreement is recorded: the action can start."))
    return redirect(reverse("acting:actions", args=[alliance.pk]) + f"#a{action.pk}")


MOVES = {
    "start": services.start_action,
    "finish": services.finish_action,
    "abandon": services.abandon_action,
}


@require_POST
@alliance_view("actions")
def move_action(request, alliance, me, action_id):
    action = _get(Action, alliance, action_id)

    def call(*, action, to, version):
        return MOVES[to](ally=me, action=action, expected_version=version)

    return _action_post(
        request,
        alliance,
        me,
        action,
        forms.MoveForm(request.POST),
        call,
        _("The action is updated."),
    )


@require_POST
@alliance_view("actions")
def capacities(request, alliance, me):
    form = forms.CapacityForm(request.POST, scope="capacity")
    if form.is_valid() and run_use_case(
        form, services.write_capacity, ally=me, **form.cleaned_data
    ):
        messages.success(request, _("Thank you: it is shown next to the plan."))
        return redirect(reverse("acting:actions", args=[alliance.pk]) + "#capacities")
    # Capacities are written on the standard page only: its form is shown there.
    return django_render(
        request,
        "acting/actions.html",
        _actions_context(alliance, me, capacity_form=form),
        status=400,
    )


# ---------------------------------------------------------------- journal


def _journal_entries(alliance, me):
    entries = voice_notes.with_journal_panels(alliance, me, selectors.journal(alliance))
    return with_entry_files(alliance, me, entries)


@alliance_view("journal")
def journal(request, alliance, me):
    actions = list(alliance.actions.all())
    form = forms.JournalForm(request.POST or None, actions=actions)
    if is_easy(request):
        easy.relabel(form, "journal")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["action"] = _get(Action, alliance, data["action"]) if data["action"] else None
        if run_use_case(form, services.write_journal_entry, ally=me, **data):
            messages.success(request, _("Your entry is in the journal."))
            return redirect("acting:journal", alliance.pk)
    return render(
        request,
        "acting/journal.html",
        {
            "alliance": alliance,
            "me": me,
            "form": form,
            "entries": _journal_entries(alliance, me),
        },
        status=400 if form.errors else 200,
    )


@alliance_view("journal_edit")
def journal_edit(request, alliance, me, entry_id):
    entry = _get(JournalEntry, alliance, entry_id)
    if not perms.can_revise_journal_entry(me, entry):
        actions = list(alliance.actions.all())
        return render(
            request,
            "acting/journal.html",
            {
                "alliance": alliance,
                "me": me,
                "form": forms.JournalForm(actions=actions),
                "entries": _journal_entries(alliance, me),
                "status_errors": [_("Only its author can change a journal entry.")],
            },
            status=403,
        )
    actions = list(alliance.actions.all())
    initial = {"happened": entry.happened, "emerged": entry.emerged, "version": entry.version}
    form = forms.JournalEditForm(request.POST or None, actions=actions, initial=initial)
    if is_easy(request):
        easy.relabel(form, "journal")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            result, status = _post_use_case(
                form,
                services.revise_journal_entry,
                ally=me,
                entry=entry,
                happened=data["happened"],
                emerged=data["emerged"],
                expected_version=data["version"],
            )
            if result is not None:
                messages.success(
                    request, _("Your entry is changed; the earlier words stay readable.")
                )
                return redirect(reverse("acting:journal", args=[alliance.pk]) + f"#j{entry.pk}")
            entry.refresh_from_db()
            if status == 409:  # the user's words stay; the next save builds on the new one
                form.data = form.data.copy()
                form.data["version"] = entry.version
    return render(
        request,
        "acting/journal_edit.html",
        {
            "alliance": alliance,
            "me": me,
            "form": form,
            "entry": entry,
        },
        status=status,
    )


# ---------------------------------------------------------------- reviews


def _reviews_context(alliance, me, form=None, *, words=False):
    on, version = services.next_review(alliance)
    form = form or forms.NextReviewForm(initial={"on": on, "version": version})
    return {
        "alliance": alliance,
        "me": me,
        "signed": services.alliance_has_signed_charter(alliance),
        "status": selectors.review_status(alliance),
        "reviews": alliance.reviews.select_related("opened_by__user"),
        "form": easy.relabel(form, "review_date") if words else form,
    }


@alliance_view("reviews")
def reviews(request, alliance, me):
    form, status = None, 200
    if request.method == "POST":
        form = forms.NextReviewForm(request.POST)
        status = 400
        if form.is_valid():
            result, status = _post_use_case(
                form,
                services.set_next_review,
                ally=me,
                on=form.cleaned_data["on"],
                expected_version=form.cleaned_data["version"],
            )
            if result is not None:
                messages.success(request, _("The date of the next review is saved."))
                return redirect("acting:reviews", alliance.pk)
            if status == 409:  # the user's date stays; the next save builds on the new one
                form.data = form.data.copy()
                form.data["version"] = services.next_review(alliance)[1]
        context = _reviews_context(alliance, me, form, words=is_easy(request))
        context["status_errors"] = form.non_field_errors()
        return render(request, "acting/reviews.html", context, status=status)
    return render(
        request, "acting/reviews.html", _reviews_context(alliance, me, words=is_easy(request))
    )


@require_POST
@alliance_view("reviews")
def review_open(request, alliance, me):
    try:
        review = services.open_review(ally=me)
    except ValidationError as error:
        context = _reviews_context(alliance, me, words=is_easy(request))
        context["status_errors"] = error.messages
        return render(request, "acting/reviews.html", context, status=400)
    messages.success(request, _("The review is open: each ally can now write their conclusion."))
    return redirect("acting:review", alliance.pk, review.pk)


def _review_context(alliance, me, review, conclusion_form=None, *, words=False):
    allies = list(alliance.allies.select_related("user"))
    slots = selectors.conclusions(review, allies)
    closed = review.closed_at is not None
    missing = selectors.missing_conclusions(slots)
    for slot in slots:
        if slot["ally"].pk == me.pk and not closed:
            mine = slot["conclusion"]
            slot["form"] = conclusion_form or forms.ConclusionForm(
                scope="conclusion",
                initial={"text": mine.text if mine else "", "version": mine.version if mine else 0},
            )
            if words:
                easy.relabel(slot["form"], "conclusion")
    charter = alliance.charters.exclude(status=Charter.Status.SUPERSEDED).first()
    return {
        "alliance": alliance,
        "me": me,
        "review": review,
        "summary": selectors.review_summary(review),
        "slots": slots,
        "charter": charter,
        "charter_reopenable": not closed
        and charter is not None
        and charter.status == Charter.Status.SIGNED,
        "closed": closed,
        "missing": missing,
        "may_record_absence": not closed and bool(missing) and perms.can_record_absence(me),
        "absence_form": forms.AbsenceForm(
            missing=missing, scope="absence", initial={"version": review.version}
        ),
    }


def _get_review(alliance, review_id):
    try:
        return alliance.reviews.select_related("alliance", "opened_by__user").get(pk=review_id)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@alliance_view("review")
def review(request, alliance, me, review_id):
    review = _get_review(alliance, review_id)
    return render(
        request,
        "acting/review.html",
        _review_context(alliance, me, review, words=is_easy(request)),
    )


@require_POST
@alliance_view("review")
def review_conclusion(request, alliance, me, review_id, ally_id):
    review = _get_review(alliance, review_id)
    author = get_ally_in(alliance, ally_id)
    form = forms.ConclusionForm(request.POST, scope="conclusion")
    status = 400
    if author.pk != me.pk:
        form.is_valid()
        form.add_error(None, _("Each ally writes only their own conclusion."))
        status = 403
    elif form.is_valid():
        result, status = _post_use_case(
            form,
            services.write_conclusion,
            ally=me,
            review=review,
            author=author,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )
        if result is not None:
            messages.success(request, _("Your conclusion is saved."))
            return redirect(reverse("acting:review", args=[alliance.pk, review.pk]) + "#mine")
        if status == 409:  # the user's words stay; the next save builds on the saved one
            saved = review.conclusions.filter(ally=me).first()
            form.data = form.data.copy()
            form.data["version"] = saved.version if saved else 0
    context = _review_context(
        alliance, me, review, form if author.pk == me.pk else None, words=is_easy(request)
    )
    if status == 409:
        context["saved_conclusion"] = review.conclusions.filter(ally=me).first()
    return _render_failed(request, "acting/review.html", context, form, status)


@require_POST
@alliance_view("review")
def review_charter(request, alliance, me, review_id):
    review = _get_review(alliance, review_id)
    form = forms.VersionForm(request.POST)
    status = 400
    if form.is_valid():
        result, status = _post_use_case(
            form,
            services.open_charter_version_from_review,
            ally=me,
            review=review,
            expected_revision=form.cleaned_data["version"],
        )
        if result is not None:
            messages.success(
                request,
                _("A new version of the charter is open: change it, then everyone signs again."),
            )
            return redirect("alliances:charter", alliance.pk)
    return _render_failed(
        request, "acting/review.html", _review_context(alliance, me, review), form, status
    )


# ---------------------------------------------------------------- indicators


def _day(moment):
    return timezone.localdate(moment)


def _indicators_context(alliance, me, failed=None, *, faces=False):
    """`faces`: for whoever answers with faces (easy-read), the charts and the
    answers are the five faces on each indicator's scale."""
    boards = selectors.indicator_boards(alliance)
    allies = {a.pk: a for b in boards for a in b["raters"]}
    allies.update({r.ally_id: r.ally for b in boards for r in b["readings"]})
    style_of = charts.styles(allies.values())
    words = charts.labels()
    for board in boards:
        indicator = board["indicator"]
        points = {}
        for reading in board["readings"]:
            points.setdefault(reading.ally_id, []).append((_day(reading.created_at), reading.value))
        if faces:
            board["chart"] = charts.in_faces(
                points,
                allies_by_id=allies,
                low=indicator.scale_min,
                high=indicator.scale_max,
                title=indicator.name,
                chart_id=f"ind{indicator.pk}-chart",
                words=words,
            )
            board["face_choices"] = easy.face_choices(indicator)
        else:
            board["chart"] = charts.over_time(
                points,
                allies_by_id=allies,
                style_of=style_of,
                scale=Scale(indicator.scale_min, indicator.scale_max),
                title=indicator.name,
                chart_id=f"ind{indicator.pk}-chart",
                words=words,
            )
        board["notes"] = [r for r in reversed(board["readings"]) if r.note]
        board["can_rate"] = perms.can_rate_indicator(me, indicator)
        if failed is not None and failed.data.get("indicator") == str(indicator.pk):
            board["form"] = failed
        else:
            board["form"] = forms.ReadingForm(
                scope=f"ind{indicator.pk}",
                initial={"indicator": indicator.pk},
                low=indicator.scale_min,
                high=indicator.scale_max,
            )
        if faces:
            easy.relabel(board["form"], "reading")
    # One main button on the page: the first indicator the reader rates carries it.
    main = next((b for b in boards if b["can_rate"]), None)
    for board in boards:
        board["main"] = board is main
    return {
        "alliance": alliance,
        "me": me,
        "boards": boards,
        "signed": services.alliance_has_signed_charter(alliance),
    }


@alliance_view("indicators")
def indicators(request, alliance, me):
    if request.method != "POST":
        return render(
            request,
            "acting/indicators.html",
            _indicators_context(alliance, me, faces=is_easy(request)),
        )
    indicator = next(
        (
            b["indicator"]
            for b in selectors.indicator_boards(alliance)
            if str(b["indicator"].pk) == request.POST.get("indicator")
        ),
        None,
    )
    bounds = (
        {"low": indicator.scale_min, "high": indicator.scale_max} if indicator is not None else {}
    )
    scope = f"ind{indicator.pk}" if indicator is not None else "ind"
    form = forms.ReadingForm(request.POST, scope=scope, **bounds)
    if indicator is None:
        form.is_valid()
        form.add_error(None, _("This indicator is not in the signed charter: read the page again."))
    elif form.is_valid() and run_use_case(
        form,
        services.rate_indicator,
        ally=me,
        indicator=indicator,
        value=form.cleaned_data["value"],
        note=form.cleaned_data["note"],
    ):
        messages.success(request, _("Your reading is recorded."))
        return redirect(reverse("acting:indicators", args=[alliance.pk]) + f"#ind{indicator.pk}")
    return _render_failed(
        request,
        "acting/indicators.html",
        _indicators_context(alliance, me, form, faces=is_easy(request)),
        form,
        400,
    )


# ---------------------------------------------------------------- the alliance weather


def _weather_context(alliance, me, form, *, easy_mode=False, tu=False):
    """The charts are in faces for whoever answers with faces (their latest answer,
    or easy-read); the alerts are worded for the person when the person reads them."""
    rows = selectors.weather_ratings(alliance)
    mine = [row for row in rows if row.ally_id == me.pk]
    faces = easy_mode or bool(mine and mine[-1].easy_read)
    allies = {row.ally_id: row.ally for row in rows}
    style_of = charts.styles(allies.values())
    words = charts.labels()
    trends = weather.trends(selectors.as_ratings(rows))
    item_charts = []
    for item in weather.ITEMS:
        points = {
            # `found` holds Europe/Paris wall-clock times (acting.selectors.as_ratings).
            ally_id: [(moment.date(), value) for moment, value in found]
            for ally_id, found in trends[item].items()
        }
        if faces:
            item_charts.append(
                charts.in_faces(
                    points,
                    allies_by_id=allies,
                    low=weather.SCALE_MIN,
                    high=weather.SCALE_MAX,
                    title=str((easy.QUESTIONS if easy_mode else ITEM_LABELS)[str(item)]),
                    chart_id=f"weather-{item}",
                    words=words,
                )
            )
            continue
        item_charts.append(
            charts.over_time(
                points,
                allies_by_id=allies,
                style_of=style_of,
                scale=weather_scale,
                title=str(ITEM_LABELS[str(item)]),
                chart_id=f"weather-{item}",
                words=words,
            )
        )
    sees_alerts = perms.sees_weather_alerts(me)
    return {
        "alliance": alliance,
        "me": me,
        "form": form,
        "signed": services.alliance_has_signed_charter(alliance),
        "item_charts": item_charts,
        "latest": list(reversed(rows))[:LATEST_ANSWERS],
        "item_labels": [ITEM_LABELS[str(item)] for item in weather.ITEMS],
        "sees_alerts": sees_alerts,
        "alerts": alerts.explain(
            selectors.weather_alerts(rows),
            allies,
            easy=alerts.for_person(me, easy_mode),
            me=me,
            tu=tu,
        )
        if sees_alerts
        else [],
        "faces": faces,
        "weather_prompts": meetings.pending_weather_prompts(me),
    }


weather_scale = Scale(weather.SCALE_MIN, weather.SCALE_MAX)
LATEST_ANSWERS = 12


@alliance_view("weather")
def weather_page(request, alliance, me):
    if request.method == "POST":
        easy_read = request.POST.get("easy_read") in ("True", "true", "on", "1")
    else:
        mode = request.GET.get("mode")
        easy_read = (
            mode == "faces"
            if mode in ("faces", "scale")
            else me.role == Role.PERSON or is_easy(request)
        )
    # The prompt after a meeting links here with the meeting's day already chosen.
    initial = {"meeting_on": request.GET.get("meeting_on")} if "meeting_on" in request.GET else {}
    form = forms.WeatherForm(request.POST or None, easy_read=easy_read, initial=initial)
    shown = {"easy_mode": is_easy(request), "tu": is_informal(request)}
    if shown["easy_mode"]:
        easy.relabel(form, "weather")
    if request.method == "POST":
        if form.is_valid() and run_use_case(
            form, services.give_weather, ally=me, **form.cleaned_data
        ):
            messages.success(request, _("Thank you: your weather is recorded."))
            return redirect("acting:weather", alliance.pk)
        return _render_failed(
            request, "acting/weather.html", _weather_context(alliance, me, form, **shown), form, 400
        )
    return render(request, "acting/weather.html", _weather_context(alliance, me, form, **shown))
