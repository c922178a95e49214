"""/api/v1/alliances: movement 1 (the alliance, its allies, statements and votes,
the charter's versions and signatures), read through the pages' selectors and
written through the same use cases, so a write leaves the same trail entry and a
stale version the same 409 as on the pages."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.http import Http404
from ninja import Field, Router
from ninja.pagination import PageNumberPagination, paginate

from alliance.acting import selectors as acting_selectors
from alliance.alliances import selectors, services
from alliance.alliances.access import get_ally_in, get_statement_in
from alliance.alliances.models import GONE_STATUSES, Alliance, Ally, Charter

from . import schemas_alliances as s
from .auth import caller_of
from .gates import alliance_for, consented, record_read

router = Router(tags=["alliances"])

ALLIANCES_PER_PAGE = 50


class Pages(PageNumberPagination):
    """Pages of 50 (at most 100); a page number past any list is an empty page, and
    one too large for the database is bad input, never a 500."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=10**9)
        page_size: int | None = Field(None, ge=1, le=100)


class Nobody:
    """The viewer of the selectors when a DUI client reads: no ally, so no vote of
    its own and nothing to vote on."""

    pk = None
    user_id = None


def person(ally) -> dict | None:
    if ally is None:
        return None
    return {"ally_id": ally.pk, "name": ally.user.display_name, "role": ally.role}


def _viewer(ally):
    return ally if ally is not None else Nobody()


# ---------------------------------------------------------------- the alliances


@router.get(
    "",
    response=list[s.AllianceItem],
    url_name="alliance_list",
    summary="The alliances I am in (for a DUI client: its organisation's consented ones)",
)
@paginate(Pages, page_size=ALLIANCES_PER_PAGE, max_page_size=100)
def alliance_list(request):
    caller = caller_of(request)
    alliances = Alliance.objects.annotate(
        closed=ExpressionWrapper(Q(closed_at__isnull=False), output_field=BooleanField())
    ).order_by("-created_at", "-pk")
    if caller.user is None:
        return consented(alliances, caller.client.organisation_id)
    # Invited and waiting allies see the alliance listed, as on their home page.
    mine = Ally.objects.filter(alliance=OuterRef("pk"), user=caller.user).exclude(
        status__in=GONE_STATUSES
    )
    return (
        alliances.filter(Exists(mine))
        .annotate(
            my_role=Subquery(mine.values("role")[:1]),
            my_status=Subquery(mine.values("status")[:1]),
        )
        .only("pk", "title", "closed_at")
    )


@router.get(
    "/{alliance_id}",
    response=s.AllianceOut,
    url_name="alliance_detail",
    summary="One alliance: its situation, where its statements stand, its charter and review",
)
def alliance_detail(request, alliance_id: s.PathId):
    alliance, me = alliance_for(request, alliance_id)
    overview = selectors.alliance_overview(alliance, _viewer(me))
    charter = selectors.current_charter(alliance)
    review = acting_selectors.review_status(alliance)
    return {
        "id": alliance.pk,
        "title": alliance.title,
        "situation": alliance.situation,
        "organisation": alliance.organisation.name if alliance.organisation_id else None,
        "person_is_protected": alliance.person_is_protected,
        "created_at": alliance.created_at,
        "closed_at": alliance.closed_at,
        "keep_until": alliance.keep_until,
        "me": person(me),
        "standings": {
            "common_ground": len(overview["common_ground"]),
            "divergences": len(overview["divergences"]),
            "open": len(overview["open"]),
            "to_vote": len(overview["to_vote"]) if me is not None else 0,
        },
        "charter": {
            "number": charter.number,
            "status": charter.status,
            "status_label": charter.get_status_display(),
            "revision": charter.revision,
        }
        if charter is not None
        else None,
        "review": {"next_on": review["on"], "state": str(review["state"])},
    }


@router.get(
    "/{alliance_id}/allies",
    response=list[s.AllyOut],
    url_name="ally_list",
    summary="Who is in the alliance, and who was (names, roles, mandates as the pages show)",
)
def ally_list(request, alliance_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id)
    # Refused allies never were in the alliance: the roster leaves them out.
    allies = alliance.allies.select_related("user").exclude(status=Ally.Status.REFUSED)
    return [
        {
            "id": a.pk,
            "name": a.user.display_name,
            "role": a.role,
            "role_label": a.get_role_display(),
            "status": a.status,
            "status_label": a.get_status_display(),
            "joined_at": a.joined_at,
            "mandate": {
                "kind": a.mandate_kind,
                "label": a.get_mandate_kind_display(),
                "reference": a.mandate_reference,
                "date": a.mandate_date,
            }
            if a.mandate_kind
            else None,
        }
        for a in allies
    ]


# ---------------------------------------------------------------- statements and votes


def statement_out(view) -> dict:
    statement = view.statement
    return {
        "id": statement.pk,
        "kind": statement.kind,
        "kind_label": statement.get_kind_display(),
        "text": statement.text,
        "author": person(statement.author),
        "supported_by": person(statement.supported_by),
        "version": statement.version,
        "created_at": statement.created_at,
        "updated_at": statement.updated_at,
        "standing": str(view.standing),
        "my_vote": view.my_vote,
        "changed_since_my_vote": view.changed_since_my_vote,
        "voters": {
            group: [person(a) for a in getattr(view, group)]
            for group in ("agree", "disagree", "unsure", "passed", "not_voted")
        },
        "imported": {
            "label": statement.source_label,
            "author": statement.source_author,
            "from_person": statement.source_from_person,
        }
        if statement.source
        else None,
    }


def _one_statement(alliance, me, statement) -> dict:
    view = selectors.statement_view(alliance, _viewer(me), statement)
    if view is None:
        raise Http404
    return statement_out(view)


@router.get(
    "/{alliance_id}/statements",
    response=list[s.StatementOut],
    url_name="statement_list",
    summary="The live statements, each with my vote, who voted what and where it stands",
)
def statement_list(request, alliance_id: s.PathId):
    alliance, me = alliance_for(request, alliance_id)
    overview = selectors.alliance_overview(alliance, _viewer(me))
    return [statement_out(view) for view in overview["statements"]]


@router.post(
    "/{alliance_id}/statements",
    response={201: s.StatementOut},
    url_name="statement_create",
    summary="Write a statement in my own words",
)
def statement_create(request, alliance_id: s.PathId, payload: s.StatementIn):
    alliance, me = alliance_for(request, alliance_id, write=True)
    supporter = get_ally_in(alliance, payload.supported_by) if payload.supported_by else None
    statement = services.write_statement(
        ally=me, kind=payload.kind, text=payload.text, supported_by=supporter
    )
    return _one_statement(alliance, me, statement)


@router.get(
    "/{alliance_id}/statements/{statement_id}",
    response=s.StatementOut,
    url_name="statement_detail",
    summary="One live statement, as its card shows it",
)
def statement_detail(request, alliance_id: s.PathId, statement_id: s.PathId):
    alliance, me = alliance_for(request, alliance_id, read_now=False)
    found = _one_statement(alliance, me, get_statement_in(alliance, statement_id))
    record_read(request, alliance)
    return found


@router.put(
    "/{alliance_id}/statements/{statement_id}",
    response=s.StatementOut,
    url_name="statement_change",
    summary="Change my statement (the version read, or 409)",
)
def statement_change(
    request, alliance_id: s.PathId, statement_id: s.PathId, payload: s.StatementChange
):
    alliance, me = alliance_for(request, alliance_id, write=True)
    statement = get_statement_in(alliance, statement_id)
    supporter = get_ally_in(alliance, payload.supported_by) if payload.supported_by else None
    services.change_statement(
        ally=me,
        statement=statement,
        kind=payload.kind,
        text=payload.text,
        supported_by=supporter,
        expected_version=payload.version,
    )
    return _one_statement(alliance, me, statement)


@router.post(
    "/{alliance_id}/statements/{statement_id}/withdraw",
    response=s.WithdrawnOut,
    url_name="statement_withdraw",
    summary="Withdraw my statement (its history stays in the trail)",
)
def statement_withdraw(request, alliance_id: s.PathId, statement_id: s.PathId):
    alliance, me = alliance_for(request, alliance_id, write=True)
    statement = services.withdraw_statement(
        ally=me, statement=get_statement_in(alliance, statement_id)
    )
    return {"id": statement.pk, "withdrawn_at": statement.withdrawn_at}


@router.put(
    "/{alliance_id}/statements/{statement_id}/vote",
    response=s.VoteOut,
    url_name="statement_vote",
    summary="Agree, disagree, say I am not sure, or pass on another ally's statement",
)
def statement_vote(request, alliance_id: s.PathId, statement_id: s.PathId, payload: s.VoteIn):
    alliance, me = alliance_for(request, alliance_id, write=True)
    statement = get_statement_in(alliance, statement_id)
    vote = services.cast_vote(ally=me, statement=statement, value=payload.value)
    return {
        "statement_id": statement.pk,
        "value": vote.value,
        "standing": str(selectors.standing_of(alliance, statement)),
    }


# ---------------------------------------------------------------- the charter


def signature_out(signature) -> dict:
    return {
        "ally": person(signature.ally),
        "signed_by": person(signature.signed_by),
        "on_behalf": signature.on_behalf,
        "signed_at": signature.signed_at,
    }


def _charter_item(charter) -> dict:
    return {
        "number": charter.number,
        "status": charter.status,
        "status_label": charter.get_status_display(),
        "revision": charter.revision,
        "created_at": charter.created_at,
        "signed_at": charter.signed_at,
        "signatures": [signature_out(sig) for sig in charter.signatures.all()],
    }


@router.get(
    "/{alliance_id}/charters",
    response=list[s.CharterItem],
    url_name="charter_list",
    summary="Every version of the charter, newest first, with who signed for whom",
)
def charter_list(request, alliance_id: s.PathId):
    alliance, _me = alliance_for(request, alliance_id)
    charters = alliance.charters.prefetch_related(
        "signatures__ally__user", "signatures__signed_by__user"
    )
    return [_charter_item(charter) for charter in charters]


def _charter_out(alliance, charter) -> dict:
    detail = selectors.charter_detail(charter)
    active = alliance.allies.filter(status=Ally.Status.ACTIVE).select_related("user")
    return {
        **_charter_item(detail),
        "current": detail.is_current,
        "shared_understanding": detail.shared_understanding,
        "interests": [
            {"statement_id": i.statement_id, "text": i.text, "adopted_by": person(i.adopted_by)}
            for i in detail.interests.all()
        ],
        "recognitions": [
            {"ally": person(r.ally), "brings": r.brings, "expects": r.expects}
            for r in detail.recognitions.all()
        ],
        "commitments": [
            {"ally": person(c.ally), "text": c.text, "written_by": person(c.written_by)}
            for c in detail.commitments.all()
        ],
        "perimeter": [
            {
                "label": p.label,
                "domain_code": p.domain_code,
                "status": p.status,
                "status_label": p.get_status_display(),
            }
            for p in detail.perimeter.all()
        ],
        "indicators": [
            {
                "key": i.key,
                "name": i.name,
                "scale_min": i.scale_min,
                "scale_max": i.scale_max,
                "raters": [person(a) for a in i.raters.all()],
            }
            for i in detail.indicators.all()
        ],
        "blockers": [str(b) for b in services.signing_blockers(detail, active)]
        if detail.is_current and detail.status != Charter.Status.SIGNED
        else [],
    }


def _charter_in(alliance, number) -> Charter:
    charter = alliance.charters.filter(number=number).first()
    if charter is None:
        raise Http404
    return charter


@router.get(
    "/{alliance_id}/charters/{charter_number}",
    response=s.CharterOut,
    url_name="charter_detail",
    summary="One version of the charter, whole: interests, recognition, commitments, "
    "perimeter, indicators, signatures",
)
def charter_detail(request, alliance_id: s.PathId, charter_number: s.PathId):
    alliance, _me = alliance_for(request, alliance_id, read_now=False)
    found = _charter_out(alliance, _charter_in(alliance, charter_number))
    record_read(request, alliance)
    return found


@router.post(
    "/{alliance_id}/charters/{charter_number}/signatures",
    response={201: s.SignatureOut},
    url_name="charter_sign",
    summary="Sign the current version (for myself, or for the person I represent)",
)
def charter_sign(request, alliance_id: s.PathId, charter_number: s.PathId, payload: s.SignIn):
    alliance, me = alliance_for(request, alliance_id, write=True)
    charter = _charter_in(alliance, charter_number)
    signee = get_ally_in(alliance, payload.signee) if payload.signee else None
    signature = services.sign_charter(
        ally=me, charter=charter, expected_revision=payload.revision, signee=signee
    )
    return signature_out(signature)
