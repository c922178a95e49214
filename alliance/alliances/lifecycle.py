"""Closing, reopening and handing over an alliance (issue 12, ADR 0023).

Closing never happens without the person's side: a professional proposes, the
person or their approved legal representative agrees or declines; the person's side
closes or reopens at once. A closed alliance is read-only (`ensure_open`, called by
the write use cases, and the gatekeeper of the pages) and kept until `keep_until`.

A professional who leaves a service hands their alliances to a colleague of their
organisation: in each alliance the colleague waits for the person's approval like
any new ally; the approval (`services.decide_on_ally`) makes the leaving
professional leave, a refusal keeps them until someone else is found."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.audit.journal import record, record_by_ally
from alliance.audit.models import Action
from alliance.conflicts import ConflictError
from alliance.notifications.services import notify, settle

from . import perms
from .models import REASON_MAX_LENGTH, Alliance, Ally, Handover, LifecycleRequest, Role


class AllianceClosedError(PermissionDenied):
    """A write to a closed alliance: refused (403), nothing changes."""

    def __init__(self):
        super().__init__(_("This alliance is closed: it can be read, not changed."))


def ensure_open(alliance: Alliance) -> None:
    """Every use case that writes to an alliance calls it first."""
    if alliance.closed_at is not None:
        raise AllianceClosedError()


def keep_until(closed_on: datetime.date) -> datetime.date:
    """The closing day plus ALLIANCE_CLOSED_ALLIANCE_RETENTION_YEARS (29 February
    falls on 28 February)."""
    years = settings.ALLIANCE_CLOSED_ALLIANCE_RETENTION_YEARS
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:
        return closed_on.replace(year=closed_on.year + years, day=28)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, in a few words.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep it under %(n)s characters.") % {"n": REASON_MAX_LENGTH}}
        )
    return reason


def _locked(alliance: Alliance, expected_version: int | None) -> Alliance:
    locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
    if expected_version is not None and locked.lifecycle_version != expected_version:
        raise ConflictError(
            _("Someone closed, reopened or answered in the meantime. Read the page again.")
        )
    return locked


def _active_allies(alliance: Alliance):
    return list(alliance.allies.filter(status=Ally.Status.ACTIVE).select_related("user"))


def _tell(alliance: Alliance, kind: str, *, actor: Ally, **params):
    notify(
        [a.user for a in _active_allies(alliance) if a.pk != actor.pk],
        kind,
        url=reverse("alliances:overview", args=[alliance.pk]),
        alliance_id=alliance.pk,
        alliance=alliance.title,
        **params,
    )


def pending_request(alliance: Alliance) -> LifecycleRequest | None:
    return (
        alliance.lifecycle_requests.filter(status=LifecycleRequest.Status.PENDING)
        .select_related("proposed_by__user")
        .first()
    )


def _close(alliance: Alliance, *, proposed_by: Ally, agreed_by: Ally, reason: str) -> Alliance:
    now = timezone.now()
    alliance.closed_at, alliance.closed_reason = now, reason
    alliance.closed_proposed_by, alliance.closed_agreed_by = proposed_by, agreed_by
    alliance.keep_until = keep_until(timezone.localdate(now))
    alliance.lifecycle_version += 1
    alliance.save(
        update_fields=[
            "closed_at",
            "closed_reason",
            "closed_proposed_by",
            "closed_agreed_by",
            "keep_until",
            "lifecycle_version",
        ]
    )
    # Nobody will answer a colleague who would take over a closed alliance.
    for handover in alliance.handovers.filter(status=Handover.Status.PENDING):
        handover.status, handover.decided_at = Handover.Status.REFUSED, now
        handover.save(update_fields=["status", "decided_at"])
    record_by_ally(
        agreed_by,
        Action.ALLIANCE_CLOSED,
        target=alliance,
        reason=reason,
        proposed_by=proposed_by.user.display_name,
        keep_until=alliance.keep_until.isoformat(),
    )
    _tell(alliance, "alliance_closed", actor=agreed_by)
    return alliance


def _reopen(alliance: Alliance, *, by: Ally) -> Alliance:
    alliance.closed_at, alliance.closed_reason, alliance.keep_until = None, "", None
    alliance.closed_proposed_by = alliance.closed_agreed_by = None
    alliance.lifecycle_version += 1
    alliance.save(
        update_fields=[
            "closed_at",
            "closed_reason",
            "closed_proposed_by",
            "closed_agreed_by",
            "keep_until",
            "lifecycle_version",
        ]
    )
    record_by_ally(by, Action.ALLIANCE_REOPENED, target=alliance)
    _tell(alliance, "alliance_reopened", actor=by)
    return alliance


def _propose(ally: Ally, kind: str, reason: str, expected_version: int) -> LifecycleRequest:
    alliance = _locked(ally.alliance, expected_version)
    if pending_request(alliance) is not None:
        raise ConflictError(_("A proposal already waits for the person's answer."))
    request = LifecycleRequest.objects.create(
        alliance=alliance, kind=kind, reason=reason, proposed_by=ally
    )
    alliance.lifecycle_version += 1
    alliance.save(update_fields=["lifecycle_version"])
    close = kind == LifecycleRequest.Kind.CLOSE
    record_by_ally(
        ally,
        Action.ALLIANCE_CLOSE_PROPOSED if close else Action.ALLIANCE_REOPEN_PROPOSED,
        target=request,
        reason=reason,
    )
    _tell(
        alliance,
        "alliance_close_proposed" if close else "alliance_reopen_proposed",
        actor=ally,
        by=ally.user.display_name,
    )
    return request


def close_alliance(*, ally: Ally, reason: str, expected_version: int):
    """The person's side closes at once (returns the alliance); a professional
    proposes (returns the request the person answers)."""
    _require(perms.can_propose_closing(ally))
    reason = _clean_reason(reason)
    with transaction.atomic():
        if ally.speaks_for_person:
            alliance = _locked(ally.alliance, expected_version)
            ensure_open(alliance)
            if pending_request(alliance) is not None:
                raise ConflictError(_("A proposal already waits for your answer: answer it."))
            return _close(alliance, proposed_by=ally, agreed_by=ally, reason=reason)
        ensure_open(ally.alliance)
        return _propose(ally, LifecycleRequest.Kind.CLOSE, reason, expected_version)


def reopen_alliance(*, ally: Ally, reason: str, expected_version: int):
    """The person's side reopens at once (returns the alliance); a professional
    proposes (returns the request)."""
    _require(perms.can_propose_closing(ally))
    reason = _clean_reason(reason)
    with transaction.atomic():
        alliance = _locked(ally.alliance, expected_version)
        if not alliance.is_closed:
            raise ConflictError(_("This alliance is open already."))
        if ally.speaks_for_person:
            if pending_request(alliance) is not None:
                raise ConflictError(_("A proposal already waits for your answer: answer it."))
            record_by_ally(
                ally,
                Action.ALLIANCE_REOPEN_PROPOSED,
                target=alliance,
                reason=reason,
            )
            return _reopen(alliance, by=ally)
        return _propose(ally, LifecycleRequest.Kind.REOPEN, reason, expected_version)


def answer_request(
    *, ally: Ally, request: LifecycleRequest, agree: bool, expected_version: int
) -> LifecycleRequest:
    """The person or their approved legal representative agrees or declines."""
    _require(perms.can_answer_closing(ally) and request.alliance_id == ally.alliance_id)
    with transaction.atomic():
        alliance = _locked(ally.alliance, expected_version)
        request = LifecycleRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != LifecycleRequest.Status.PENDING:
            raise ConflictError(_("This proposal was answered already."))
        request.status = (
            LifecycleRequest.Status.AGREED if agree else LifecycleRequest.Status.DECLINED
        )
        request.answered_by, request.answered_at = ally, timezone.now()
        request.save(update_fields=["status", "answered_by", "answered_at"])
        if not agree:
            alliance.lifecycle_version += 1
            alliance.save(update_fields=["lifecycle_version"])
            record_by_ally(ally, Action.LIFECYCLE_DECLINED, target=request, kind=request.kind)
            _tell(alliance, "lifecycle_declined", actor=ally, by=ally.user.display_name)
        elif request.kind == LifecycleRequest.Kind.CLOSE:
            _close(
                alliance,
                proposed_by=request.proposed_by,
                agreed_by=ally,
                reason=request.reason,
            )
        else:
            _reopen(alliance, by=ally)
        ally.alliance = alliance
    return request


def _require(allowed):
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- handover


def handover_candidates(leaving: User):
    """The colleagues who may take over: active professionals of the same organisation."""
    return User.objects.filter(
        kind=User.Kind.PROFESSIONAL,
        is_active=True,
        organisation_id=leaving.organisation_id,
        organisation__isnull=False,
    ).exclude(pk=leaving.pk)


def handed_over_allies(leaving: User):
    """The allies of `leaving` a handover may concern: active professional, open alliance."""
    return (
        Ally.objects.filter(
            user=leaving,
            role=Role.PROFESSIONAL,
            status=Ally.Status.ACTIVE,
            alliance__closed_at__isnull=True,
        )
        .select_related("alliance")
        .order_by("alliance__title", "alliance_id")
    )


def propose_handover(
    *, by: User, leaving: User, successor: User, alliance_ids=None
) -> list[Handover]:
    """`by` (the leaving professional, or their organisation's admin) proposes
    `successor` in each of `leaving`'s alliances (all of them when `alliance_ids` is
    None). An alliance where the colleague is already an ally, or where a handover
    already waits, is left as it is. Returns the handovers made."""
    _require(perms.can_propose_handover(by, leaving))
    if not handover_candidates(leaving).filter(pk=successor.pk).exists():
        raise ValidationError(
            {"successor": _("Choose an active professional of the same organisation.")}
        )
    made = []
    with transaction.atomic():
        allies = handed_over_allies(leaving).select_for_update(of=("self",))
        if alliance_ids is not None:
            allies = allies.filter(alliance_id__in=alliance_ids)
        allies = list(allies)
        if not allies:
            raise ValidationError({"alliances": _("Choose at least one open alliance.")})
        busy = set(
            Ally.objects.filter(alliance_id__in=[a.alliance_id for a in allies], user=successor)
            .exclude(status__in=(Ally.Status.REMOVED, Ally.Status.LEFT, Ally.Status.REFUSED))
            .values_list("alliance_id", flat=True)
        ) | set(
            Handover.objects.filter(leaving__in=allies, status=Handover.Status.PENDING).values_list(
                "alliance_id", flat=True
            )
        )
        for leaving_ally in allies:
            if leaving_ally.alliance_id in busy:
                continue
            alliance = leaving_ally.alliance
            new_ally = Ally.objects.create(
                alliance=alliance,
                user=successor,
                role=Role.PROFESSIONAL,
                status=Ally.Status.AWAITING_APPROVAL,
                invited_by=leaving_ally,
                joined_at=timezone.now(),
            )
            handover = Handover.objects.create(
                alliance=alliance, leaving=leaving_ally, successor=new_ally, proposed_by=by
            )
            # Like any new ally (ADR 0012): the invitation is in the trail, then the handover.
            record(
                by,
                Action.ALLY_INVITED,
                alliance_id=alliance.pk,
                organisation_id=alliance.organisation_id,
                target=new_ally,
                detail={"role": Role.PROFESSIONAL, "handover": handover.pk},
            )
            names = {
                "leaving": leaving.display_name,
                "successor": successor.display_name,
            }
            record(
                by,
                Action.HANDOVER_PROPOSED,
                alliance_id=alliance.pk,
                organisation_id=alliance.organisation_id,
                target=handover,
                detail=names,
            )
            notify(
                [a.user for a in _active_allies(alliance)] + [successor],
                "handover_proposed",
                url=reverse("alliances:overview", args=[alliance.pk]),
                alliance_id=alliance.pk,
                key=f"handover:{handover.pk}",
                alliance=alliance.title,
                **names,
            )
            made.append(handover)
    if not made:
        raise ValidationError(
            {
                "successor": _(
                    "This colleague is already in these alliances, or a handover waits there."
                )
            }
        )
    return made


def pending_handover_to(ally: Ally) -> Handover | None:
    return (
        Handover.objects.select_for_update()
        .filter(successor=ally, status=Handover.Status.PENDING)
        .select_related("leaving__user", "alliance")
        .first()
    )


def settle_handover(handover: Handover, *, approver: Ally, approved: bool) -> Handover:
    """Called by `services.decide_on_ally` once the person decided on the successor,
    inside its transaction: records and tells. The caller makes the leaving one leave."""
    handover.status = Handover.Status.DONE if approved else Handover.Status.REFUSED
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decided_at"])
    names = {
        "leaving": handover.leaving.user.display_name,
        "successor": handover.successor.user.display_name,
    }
    record_by_ally(
        approver,
        Action.HANDOVER_DONE if approved else Action.HANDOVER_REFUSED,
        target=handover,
        **names,
    )
    alliance = handover.alliance
    everyone = [a.user for a in _active_allies(alliance)] + [handover.leaving.user]
    settle(everyone, f"handover:{handover.pk}")
    notify(
        [u for u in everyone if u.pk != approver.user_id],
        "handover_done" if approved else "handover_refused",
        url=reverse("alliances:overview", args=[alliance.pk]),
        alliance_id=alliance.pk,
        alliance=alliance.title,
        **names,
    )
    return handover


def replacing(alliance: Alliance) -> dict:
    """successor ally id -> the name of the one they would replace, for the roster."""
    return dict(
        Handover.objects.filter(alliance=alliance, status=Handover.Status.PENDING).values_list(
            "successor_id", "leaving__user__display_name"
        )
    )
