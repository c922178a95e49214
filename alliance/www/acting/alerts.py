"""The weather alerts in words: who, on which item, what changed — a signal to talk
about at the next meeting, never a fault."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from alliance import dates
from alliance.acting import perms, selectors
from alliance.acting.models import ITEM_LABELS
from alliance.acting.weather import AlertKind
from alliance.alliances.models import Role

from .easy import QUESTIONS


def _date(moment) -> str:
    return dates.show(moment, "DATE_FORMAT")


# For the person reading their own alliance: who feels what, with "on" (we) so that
# the same sentence suits a child told "tu" and an adult told "vous".
EASY_DROP = {
    "aim": gettext_lazy("%(name)s feels we agree less on what we want."),
    "way": gettext_lazy("%(name)s feels we agree less on how to do it."),
    "heard": gettext_lazy("%(name)s feels we listen to them less."),
    "decide": gettext_lazy("%(name)s feels we decide less together."),
}


def _easy(alert, allies_by_id, me, tu) -> dict:
    item = str(alert.item)
    names = [allies_by_id[a].user.display_name for a in alert.allies]
    if alert.kind is AlertKind.DROP:
        if me is not None and alert.allies == (me.pk,):
            text = (
                pgettext("tu", "Your answer went down on: %(question)s")
                if tu
                else _("Your answer went down on: %(question)s")
            ) % {"question": QUESTIONS[item]}
        else:
            text = EASY_DROP[item] % {"name": names[0]}
    else:
        text = _("%(names)s do not answer the same to: %(question)s") % {
            "names": _("%(first)s and %(last)s")
            % {"first": ", ".join(names[:-1]), "last": names[-1]},
            "question": QUESTIONS[item],
        }
    advice = (
        pgettext("tu", "You can talk about it at the next meeting.")
        if tu
        else _("You can talk about it at the next meeting.")
    )
    return {"kind": str(alert.kind), "item": item, "text": text, "advice": advice, "easy": True}


def explain(alerts, allies_by_id, *, easy=False, me=None, tu=False) -> list[dict]:
    """The alerts in words: for professionals, who rated what and when; for the
    person (`easy`), one short sentence on what someone feels, and that they can
    talk about it."""
    if easy:
        return [_easy(alert, allies_by_id, me, tu) for alert in alerts]
    explained = []
    for alert in alerts:
        item = ITEM_LABELS[str(alert.item)]
        if alert.kind is AlertKind.DROP:
            (ally_id,) = alert.allies
            name = allies_by_id[ally_id].user.display_name
            previous, current = alert.values
            text = _(
                "%(name)s rated “%(item)s” %(current)d on %(date)s, %(previous)d the time "
                "before: %(points)d points less."
            ) % {
                "name": name,
                "item": item,
                "current": current,
                "previous": previous,
                "date": _date(alert.dates[1]),
                "points": alert.points,
            }
            advice = _(
                "Something changed for %(name)s: ask them at the next meeting what would help."
            ) % {"name": name}
        else:
            views = ", ".join(
                _("%(name)s %(value)d") % {"name": allies_by_id[a].user.display_name, "value": v}
                for a, v in zip(alert.allies, alert.values, strict=True)
            )
            text = _(
                "On “%(item)s”, the allies see it differently: %(views)s (%(points)d points apart)."
            ) % {
                "item": item,
                "views": views,
                "points": alert.points,
            }
            advice = _(
                "Different views are normal: share them at the next meeting to understand "
                "each other."
            )
        explained.append(
            {"kind": str(alert.kind), "item": str(alert.item), "text": text, "advice": advice}
        )
    return explained


def for_person(me, easy: bool) -> bool:
    """The person reads the alerts worded for them, and so does anyone in easy-read."""
    return easy or me.role == Role.PERSON


def weather_alerts_for(alliance, me, *, easy=False, tu=False) -> list[dict]:
    """The alerts standing now, in words, for whoever sees them (else none)."""
    if not perms.sees_weather_alerts(me):
        return []
    rows = selectors.weather_ratings(alliance)
    return explain(
        selectors.weather_alerts(rows),
        {row.ally_id: row.ally for row in rows},
        easy=for_person(me, easy),
        me=me,
        tu=tu,
    )
