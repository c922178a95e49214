"""One user's calendar (ADR 0025): the meetings they are invited to, the due dates of
the actions they take part in, and the next review of each of their alliances, as an
iCalendar file. What leaves for a calendar provider is kept to the least: the kind of
event, the alliance's title, the time and a link back to the page behind the
sign-in; never a statement, a place, a purpose, an action's words, a word of an ally,
nor any health or needs data."""

import datetime
import hashlib

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from alliance.alliances.models import Ally

from .models import Action, ActionStatus, CoActor, Meeting, MeetingAnswer, MeetingInvitation
from .selectors import review_dates

MEETINGS_SINCE = datetime.timedelta(days=90)  # past meetings kept in the feed
OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


def _uid(kind: str, pk) -> str:
    """A stable identifier that says nothing: calendar apps use it to update an event."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{pk}".encode()).hexdigest()[:32]
    return f"{digest}@alliance"


def _link(path: str) -> str:
    return settings.ALLIANCE_SITE_URL.rstrip("/") + path


def feed_events(user) -> list[dict]:
    """The events of the user's feed as plain data, in three queries whatever the
    number of alliances, meetings and actions."""
    allies = list(
        Ally.objects.filter(user=user, status=Ally.Status.ACTIVE).select_related("alliance")
    )
    by_alliance = {a.alliance_id: a for a in allies}
    events = []
    since = timezone.now() - MEETINGS_SINCE
    meetings = (
        Meeting.objects.filter(
            alliance_id__in=by_alliance,
            starts_at__gte=since,
            invitations__ally__in=allies,
        )
        .select_related("alliance")
        .annotate(
            declined=Exists(
                MeetingInvitation.objects.filter(
                    meeting=OuterRef("pk"),
                    ally__in=allies,
                    answer=MeetingAnswer.NOT_COMING,
                )
            )
        )
        .order_by("starts_at", "pk")
        .distinct()
    )
    for meeting in meetings:
        events.append(
            {
                "uid": _uid("meeting", meeting.pk),
                "summary": _("Meeting — %(alliance)s") % {"alliance": meeting.alliance.title},
                "start": meeting.starts_at,
                "end": meeting.ends_at,
                "url": _link(reverse("meetings:detail", args=[meeting.alliance_id, meeting.pk])),
                "cancelled": meeting.is_cancelled,
                "declined": meeting.declined,
                "sequence": meeting.version,
            }
        )
    actions = (
        Action.objects.filter(
            alliance_id__in=by_alliance,
            status__in=OPEN_ACTIONS,
            due_date__isnull=False,
        )
        .filter(Exists(CoActor.objects.filter(action=OuterRef("pk"), ally__in=allies)))
        .select_related("alliance")
        .order_by("due_date", "pk")
    )
    for action in actions:
        events.append(
            {
                "uid": _uid("action", action.pk),
                "summary": _("Action due — %(alliance)s") % {"alliance": action.alliance.title},
                "day": action.due_date,
                "url": _link(reverse("acting:actions", args=[action.alliance_id])),
                "sequence": action.version,
            }
        )
    for alliance_id, on in sorted(review_dates(list(by_alliance)).items()):
        if on is None:
            continue
        alliance = by_alliance[alliance_id].alliance
        events.append(
            {
                "uid": _uid("review", alliance_id),
                "summary": _("Review — %(alliance)s") % {"alliance": alliance.title},
                "day": on,
                "url": _link(reverse("acting:reviews", args=[alliance_id])),
                "sequence": 0,
            }
        )
    return events


def feed_ics(user) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Alliance//calendar feed//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Alliance — my meetings, actions and reviews"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for data in feed_events(user):
        event = Event()
        event.add("uid", data["uid"])
        event.add("dtstamp", stamp)
        event.add("summary", data["summary"])
        event.add("url", data["url"])
        event.add("sequence", data["sequence"])
        if "day" in data:
            event.add("dtstart", data["day"])
            event.add("dtend", data["day"] + datetime.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        else:
            event.add("dtstart", data["start"])
            event.add("dtend", data["end"])
        if data.get("cancelled"):
            event.add("status", "CANCELLED")
        elif data.get("declined"):
            # Still listed, so that a calendar does not lose track, but marked free.
            event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
