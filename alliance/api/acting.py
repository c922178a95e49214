"""/api/v1/alliances/{alliance_id}/…: movement 2 (means with stances and decisions,
actions with their co-actors, the journal, indicator readings, the alliance
weather, reviews with conclusions), read through the pages' selectors and written
through the same use cases: the same checks, trail entries and 409s as the pages."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from alliance.acting import selectors, services
from alliance.acting.models import Action, JournalEntry, ReviewAbsence, ReviewConclusion

from . import schemas_alliances as s
from .alliances import person
from .gates import alliance_for, record_read

router = Router(tags=["acting"])


# ---------------------------------------------------------------- means


def _stance(stance) -> dict:
    return {
        "ally": person(stance.ally),
        "value": stance.value,
        "value_label": stance.get_value_display(),
        "reason": stance.reason,
        "taken_at": stance.taken_at,
    }


@router.get(
    "/{alliance_id}/means",
    response=list[s.MeansOut],
    url_name="means_list",
    summary="The means proposed for each common interest, each ally's stance and the "
    "decision, dissent included",
)
def means_list(request, alliance_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id)
    return [
        {
            "id": option.pk,
            "interest": group["interest"],
            "description": option.description,
            "proposed_by": person(option.proposed_by),
            "need_code": option.need_code,
            "need_label": str(option.need_label),
            "prestation_code": option.prestation_code,
            "availability": option.availability,
            "version": option.version,
            "created_at": option.created_at,
            "stances": [_stance(x) for x in option.current_stances],
            "earlier_stances": [_stance(x) for x in option.earlier_stances],
            "decision": {
                "decided_by": person(option.decided.decided_by),
                "note": option.decided.note,
                "decided_at": option.decided.decided_at,
                "dissent": option.decided.dissent,
            }
            if option.decided
            else None,
        }
        for group in selectors.means_by_interest(alliance)
        for option in group["options"]
    ]


@router.post(
    "/{alliance_id}/means/{option_id}/stances",
    response={201: s.StanceOut},
    url_name="means_stance",
    summary="Take my stance on a means (a new stance keeps the earlier ones)",
)
def means_stance(request, alliance_id: s.PathId, option_id: s.PathId, payload: s.StanceIn):
    alliance, me = alliance_for(request, alliance_id, write=True)
    option = get_object_or_404(alliance.means_options, pk=option_id)
    stance = services.take_stance(
        ally=me, option=option, value=payload.value, reason=payload.reason
    )
    return _stance(stance)


# ---------------------------------------------------------------- actions


def _action(action) -> dict:
    return {
        "id": action.pk,
        "title": action.title,
        "description": action.description,
        "due_date": action.due_date,
        "status": action.status,
        "status_label": action.get_status_display(),
        "domain_label": action.domain_label,
        "means_id": action.means_id,
        "created_by": person(action.created_by),
        "agreed_by": person(action.agreed_by),
        "agreed_at": action.agreed_at,
        "needs_person_agreement": services.needs_person_agreement(action),
        "version": action.version,
        "co_actors": [{"ally": person(c.ally), "role": c.role} for c in action.co_actors.all()],
    }


@router.get(
    "/{alliance_id}/actions",
    response=list[s.ActionOut],
    url_name="action_list",
    summary="The plan: every action, its co-actors and their roles",
)
def action_list(request, alliance_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id)
    return [_action(action) for action in selectors.plan(alliance)]


@router.post(
    "/{alliance_id}/actions/{action_id}/co-actors",
    response=s.ActionOut,
    url_name="action_join",
    summary="Take a role in an action, in my own words (or change it)",
)
def action_join(request, alliance_id: s.PathId, action_id: s.PathId, payload: s.RoleIn):
    alliance, me = alliance_for(request, alliance_id, write=True)
    action = get_object_or_404(Action, alliance=alliance, pk=action_id)
    services.join_action(ally=me, action=action, role=payload.role)
    return _action(next(a for a in selectors.plan(alliance) if a.pk == action.pk))


# ---------------------------------------------------------------- journal


def _entry(entry) -> dict:
    return {
        "id": entry.pk,
        "author": person(entry.author),
        "action_id": entry.action_id,
        "happened": entry.happened,
        "emerged": entry.emerged,
        "version": entry.version,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "revisions": [
            {
                "version": r.version,
                "happened": r.happened,
                "emerged": r.emerged,
                "written_at": r.written_at,
            }
            for r in entry.revisions.all()
        ],
    }


@router.get(
    "/{alliance_id}/journal",
    response=list[s.JournalOut],
    url_name="journal_list",
    summary="The journal of the way, with each entry's earlier words",
)
def journal_list(request, alliance_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id)
    return [_entry(entry) for entry in selectors.journal(alliance)]


@router.post(
    "/{alliance_id}/journal",
    response={201: s.JournalOut},
    url_name="journal_create",
    summary="Write in the journal what happened and what emerged",
)
def journal_create(request, alliance_id: s.PathId, payload: s.JournalIn):
    alliance, me = alliance_for(request, alliance_id, write=True)
    action = None
    if payload.action_id is not None:
        action = Action.objects.filter(alliance=alliance, pk=payload.action_id).first()
        if action is None:
            raise ValidationError({"action_id": _("Choose an action of this alliance.")})
    entry = services.write_journal_entry(
        ally=me, happened=payload.happened, emerged=payload.emerged, action=action
    )
    return _entry(entry)


@router.put(
    "/{alliance_id}/journal/{entry_id}",
    response=s.JournalOut,
    url_name="journal_revise",
    summary="Revise my journal entry (the version read, or 409); the earlier words stay",
)
def journal_revise(request, alliance_id: s.PathId, entry_id: s.PathId, payload: s.JournalChange):
    alliance, me = alliance_for(request, alliance_id, write=True)
    entry = get_object_or_404(JournalEntry, alliance=alliance, pk=entry_id)
    services.revise_journal_entry(
        ally=me,
        entry=entry,
        happened=payload.happened,
        emerged=payload.emerged,
        expected_version=payload.version,
    )
    return _entry(selectors.journal(alliance).get(pk=entry.pk))


# ---------------------------------------------------------------- indicators


def _reading(reading) -> dict:
    return {
        "id": reading.pk,
        "indicator_key": reading.indicator_key,
        "ally": person(reading.ally),
        "value": reading.value,
        "note": reading.note,
        "created_at": reading.created_at,
    }


@router.get(
    "/{alliance_id}/indicators",
    response=list[s.BoardOut],
    url_name="indicator_list",
    summary="The signed charter's indicators, each with its raters and every reading",
)
def indicator_list(request, alliance_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id)
    return [
        {
            "key": board["indicator"].key,
            "name": board["indicator"].name,
            "scale_min": board["indicator"].scale_min,
            "scale_max": board["indicator"].scale_max,
            "raters": [person(a) for a in board["raters"]],
            "readings": [_reading(r) for r in board["readings"]],
        }
        for board in selectors.indicator_boards(alliance)
    ]


@router.post(
    "/{alliance_id}/indicators/{indicator_key}/readings",
    response={201: s.ReadingOut},
    url_name="indicator_reading",
    summary="Record my reading of an indicator of the signed charter",
)
def indicator_reading(
    request, alliance_id: s.PathId, indicator_key: uuid.UUID, payload: s.ReadingIn
):
    alliance, me = alliance_for(request, alliance_id, write=True)
    # The same lookup as the page: only an indicator of the signed charter is rated.
    indicator = next(
        (
            b["indicator"]
            for b in selectors.indicator_boards(alliance)
            if b["indicator"].key == indicator_key
        ),
        None,
    )
    if indicator is None:
        raise Http404
    reading = services.rate_indicator(
        ally=me, indicator=indicator, value=payload.value, note=payload.note
    )
    return _reading(reading)


# ---------------------------------------------------------------- the alliance weather


def _rating(rating) -> dict:
    return {
        "id": rating.pk,
        "ally": person(rating.ally),
        "aim": rating.aim,
        "way": rating.way,
        "heard": rating.heard,
        "decide": rating.decide,
        "word": rating.word,
        "meeting_on": rating.meeting_on,
        "created_at": rating.created_at,
    }


@router.get(
    "/{alliance_id}/weather",
    response=list[s.WeatherOut],
    url_name="weather_list",
    summary="Every ally's alliance weather, oldest first (the four items from 0 to 10)",
)
def weather_list(request, alliance_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id)
    return [_rating(rating) for rating in selectors.weather_ratings(alliance)]


@router.post(
    "/{alliance_id}/weather",
    response={201: s.WeatherOut},
    url_name="weather_give",
    summary="Give my alliance weather",
)
def weather_give(request, alliance_id: s.PathId, payload: s.WeatherIn):
    _alliance, me = alliance_for(request, alliance_id, write=True)
    rating = services.give_weather(ally=me, **payload.dict())
    return _rating(rating)


# ---------------------------------------------------------------- reviews


def _review(review) -> dict:
    absences = [
        {"ally": person(a.ally), "text": None, "written_at": None, "absent": a.reason}
        for a in review.absences.all()
    ]
    written = [
        {"ally": person(c.ally), "text": c.text, "written_at": c.written_at, "absent": None}
        for c in review.conclusions.all()
    ]
    return {
        "id": review.pk,
        "held_on": review.held_on,
        "due_on": review.due_on,
        "period_start": review.period_start,
        "opened_by": person(review.opened_by),
        "charter_number": review.charter_number,
        "closed_at": review.closed_at,
        "conclusions": written + absences,
    }


@router.get(
    "/{alliance_id}/reviews",
    response=s.ReviewsOut,
    url_name="review_list",
    summary="The next review (due or overdue) and every review held, with each ally's conclusion",
)
def review_list(request, alliance_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id)
    status = selectors.review_status(alliance)
    reviews = alliance.reviews.select_related("opened_by__user").prefetch_related(
        Prefetch("conclusions", queryset=ReviewConclusion.objects.select_related("ally__user")),
        Prefetch("absences", queryset=ReviewAbsence.objects.select_related("ally__user")),
    )
    return {
        "next_on": status["on"],
        "state": str(status["state"]),
        "reviews": [_review(review) for review in reviews],
    }


@router.get(
    "/{alliance_id}/reviews/{review_id}",
    response=s.ReviewDetailOut,
    url_name="review_detail",
    summary="One review: each active ally's conclusion or absence, and who is still awaited",
)
def review_detail(request, alliance_id: s.PathId, review_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id, read_now=False)
    review = (
        alliance.reviews.select_related("opened_by__user")
        .prefetch_related(
            Prefetch("conclusions", queryset=ReviewConclusion.objects.select_related("ally__user")),
            Prefetch("absences", queryset=ReviewAbsence.objects.select_related("ally__user")),
        )
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404
    slots = selectors.conclusions(review, list(alliance.allies.select_related("user")))
    record_read(request, alliance)
    return {
        **_review(review),
        "version": review.version,
        "missing": [person(a) for a in selectors.missing_conclusions(slots)],
    }
