"""Use cases of meetings: schedule, change (version-checked), cancel with a reason,
answer an invitation, say what one brings, and settle the weather prompt that follows
a meeting. Each is atomic, checks its permission and writes its audit entry; the views
and the demo call these same functions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.alliances.models import Ally, Role
from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action as Audit
from alliance.conflicts import ConflictError
from alliance.limits import check_lengths
from alliance.notifications.services import notify

from . import perms
from .models import Meeting, MeetingAnswer, MeetingInvitation

DURATION_MAX = 12 * 60  # minutes: a meeting is not a whole day away


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _clean(*, starts_at, duration_minutes, place, purpose, prepare):
    place, purpose, prepare = place.strip(), purpose.strip(), prepare.strip()
    check_lengths(
        place=(place, Meeting.PLACE_MAX),
        purpose=(purpose, Meeting.PURPOSE_MAX),
        prepare=(prepare, Meeting.PREPARE_MAX),
    )
    errors = {}
    if starts_at is None:
        errors["starts_at"] = _("Give the date and the time of the meeting.")
    if not duration_minutes or not 5 <= duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _("Give a duration between 5 minutes and 12 hours.")
    if not place:
        errors["place"] = _("Say where: an address, or a phone or video call.")
    if not purpose:
        errors["purpose"] = _("Say what the meeting is for.")
    if errors:
        raise ValidationError(errors)
    return place, purpose, prepare


def _invitees(ally: Ally, chosen) -> list[Ally]:
    """The allies invited: those chosen, the one who schedules, and the person, who is
    always invited unless they (or their legal representative) say otherwise."""
    alliance_allies = {
        a.pk: a
        for a in ally.alliance.allies.filter(status=Ally.Status.ACTIVE).select_related("user")
    }
    chosen_ids = {a.pk for a in chosen}
    if any(pk not in alliance_allies for pk in chosen_ids):
        raise ValidationError({"invited": _("Choose allies of this alliance.")})
    chosen_ids.add(ally.pk)
    if not ally.speaks_for_person:
        chosen_ids |= {pk for pk, a in alliance_allies.items() if a.role == Role.PERSON}
    return [alliance_allies[pk] for pk in sorted(chosen_ids)]


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.alliance_id, meeting.pk])


def _tell(users, kind, meeting, by: Ally):
    notify(
        users,
        kind,
        url=meeting_url(meeting),
        alliance_id=meeting.alliance_id,
        key=f"{kind}:{meeting.pk}:{meeting.version}",
        by=by.user.display_name,
        alliance=meeting.alliance.title,
        due=timezone.localtime(meeting.starts_at).date().isoformat(),
    )


@transaction.atomic
def schedule_meeting(
    *,
    ally: Ally,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str,
    purpose: str,
    prepare: str = "",
    invited=(),
) -> Meeting:
    _require(perms.can_schedule_meeting(ally))
    place, purpose, prepare = _clean(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        purpose=purpose,
        prepare=prepare,
    )
    invitees = _invitees(ally, invited)
    meeting = Meeting.objects.create(
        alliance=ally.alliance,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        purpose=purpose,
        prepare=prepare,
        scheduled_by=ally,
    )
    MeetingInvitation.objects.bulk_create(
        MeetingInvitation(
            meeting=meeting,
            ally=a,
            # The one who schedules is coming: they need not answer their own invitation.
            answer=MeetingAnswer.COMING if a.pk == ally.pk else MeetingAnswer.PENDING,
            answered_at=timezone.now() if a.pk == ally.pk else None,
        )
        for a in invitees
    )
    record_by_ally(ally, Audit.MEETING_SCHEDULED, target=meeting, invited=len(invitees))
    _tell([a.user for a in invitees if a.pk != ally.pk], "meeting_invited", meeting, ally)
    return meeting


@transaction.atomic
def change_meeting(
    *,
    ally: Ally,
    meeting: Meeting,
    expected_version: int,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str,
    purpose: str,
    prepare: str = "",
    invited=(),
) -> Meeting:
    """A change based on an older version is refused (ConflictError): nobody's change
    is lost. Newly invited allies are told they are invited; the others that it
    changed. An ally no longer chosen keeps their invitation if they answered."""
    _require(perms.can_change_meeting(ally, meeting))
    place, purpose, prepare = _clean(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        purpose=purpose,
        prepare=prepare,
    )
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(_("This meeting is cancelled: it cannot be changed."))
    if locked.version != expected_version:
        raise ConflictError(
            _(
                "Someone changed this meeting while you were writing. Your words are kept "
                "below: check the meeting as it is now and save again."
            )
        )
    invitees = _invitees(ally, invited)
    existing = {i.ally_id: i for i in locked.invitations.all()}
    wanted = {a.pk for a in invitees}
    locked.invitations.filter(answer=MeetingAnswer.PENDING).exclude(ally_id__in=wanted).delete()
    new = [a for a in invitees if a.pk not in existing]
    MeetingInvitation.objects.bulk_create(MeetingInvitation(meeting=locked, ally=a) for a in new)
    locked.starts_at, locked.duration_minutes = starts_at, duration_minutes
    locked.place, locked.purpose, locked.prepare = place, purpose, prepare
    locked.version += 1
    locked.save()
    record_by_ally(ally, Audit.MEETING_CHANGED, target=locked)
    stay = [
        i.ally.user
        for i in locked.invitations.select_related("ally__user")
        if i.ally_id in existing and i.ally_id != ally.pk and i.ally.is_active
    ]
    _tell(stay, "meeting_changed", locked, ally)
    _tell([a.user for a in new if a.pk != ally.pk], "meeting_invited", locked, ally)
    return locked


@transaction.atomic
def cancel_meeting(*, ally: Ally, meeting: Meeting, expected_version: int, reason: str) -> Meeting:
    _require(perms.can_change_meeting(ally, meeting))
    reason = reason.strip()
    check_lengths(reason=(reason, Meeting.REASON_MAX))
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")})
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    if locked.version != expected_version:
        raise ConflictError()
    locked.cancelled_at, locked.cancel_reason = timezone.now(), reason
    locked.version += 1
    locked.save(update_fields=["cancelled_at", "cancel_reason", "version"])
    record_by_ally(ally, Audit.MEETING_CANCELLED, target=locked)
    users = [
        i.ally.user
        for i in locked.invitations.select_related("ally__user")
        if i.ally_id != ally.pk and i.ally.is_active
    ]
    _tell(users, "meeting_cancelled", locked, ally)
    return locked


@transaction.atomic
def answer_meeting(
    *, ally: Ally, meeting: Meeting, answer: str, word: str = "", brings: str = ""
) -> MeetingInvitation:
    """Each invited ally answers for themselves: coming, not coming or maybe, with an
    optional word, and says what they bring."""
    invitation = meeting.invitations.filter(ally=ally).first()
    _require(perms.can_answer_meeting(ally, invitation))
    word, brings = word.strip(), brings.strip()
    check_lengths(
        word=(word, MeetingInvitation.WORD_MAX), brings=(brings, MeetingInvitation.BRINGS_MAX)
    )
    if answer not in (MeetingAnswer.COMING, MeetingAnswer.NOT_COMING, MeetingAnswer.MAYBE):
        raise ValidationError({"answer": _("Say if you are coming.")})
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.has_ended:
        raise ValidationError(_("This meeting is over."))
    invitation.answer, invitation.word, invitation.brings = answer, word, brings
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answer", "word", "brings", "answered_at"])
    record_by_ally(ally, Audit.MEETING_ANSWERED, target=meeting, answer=answer)
    return invitation


def weather_prompts(ally: Ally):
    """The meetings of this alliance that ended, to which the ally was invited and did
    not say they would not come, whose weather they have neither given nor set aside."""
    if ally is None or not ally.is_active:
        return MeetingInvitation.objects.none()
    return (
        MeetingInvitation.objects.filter(
            ally=ally,
            weather_settled_at=None,
            meeting__cancelled_at=None,
            meeting__starts_at__lte=timezone.now(),
        )
        .exclude(answer=MeetingAnswer.NOT_COMING)
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )


def pending_weather_prompts(ally: Ally) -> list[MeetingInvitation]:
    return [i for i in weather_prompts(ally) if i.meeting.has_ended]


@transaction.atomic
def dismiss_weather_prompt(*, ally: Ally, meeting: Meeting) -> int:
    invitation = meeting.invitations.filter(ally=ally).first()
    _require(perms.can_answer_meeting(ally, invitation))
    done = MeetingInvitation.objects.filter(pk=invitation.pk, weather_settled_at=None).update(
        weather_settled_at=timezone.now()
    )
    if done:
        record_by_ally(ally, Audit.WEATHER_PROMPT_DISMISSED, target=meeting)
    return done


def settle_weather_prompts(ally: Ally, meeting_on: datetime.date | None) -> int:
    """The weather given after a meeting settles the prompt of the meetings of that day
    (called by `give_weather`, inside its transaction)."""
    if meeting_on is None:
        return 0
    return MeetingInvitation.objects.filter(
        ally=ally, weather_settled_at=None, meeting__starts_at__date=meeting_on
    ).update(weather_settled_at=timezone.now())


# ---------------------------------------------------------------- reads

PAST_SHOWN = 20


def _with_invitations(queryset):
    return queryset.select_related("scheduled_by__user").prefetch_related(
        Prefetch(
            "invitations",
            queryset=MeetingInvitation.objects.select_related("ally__user").order_by("pk"),
        )
    )


def meetings_of(alliance) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming meetings (soonest first, a meeting under way included) and the latest
    past ones (newest first), in two queries plus one for their invitations each."""
    now = timezone.now()
    # No meeting lasts more than DURATION_MAX: one started earlier has ended.
    recent = now - datetime.timedelta(minutes=DURATION_MAX)
    upcoming = [
        m
        for m in _with_invitations(alliance.meetings.filter(starts_at__gte=recent))
        if not m.has_ended
    ]
    shown = {m.pk for m in upcoming}
    past = [
        m
        for m in _with_invitations(
            alliance.meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
        )[: PAST_SHOWN + len(shown)]
        if m.pk not in shown
    ][:PAST_SHOWN]
    return upcoming, past


def next_meeting(alliance) -> Meeting | None:
    """The next meeting not cancelled, for the alliance home."""
    return (
        alliance.meetings.filter(cancelled_at=None, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )
