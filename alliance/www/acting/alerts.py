"""The weather alerts in words: who, on which item, what changed — a signal to talk
about at the next meeting, never a fault."""

from django.utils.translation import gettext as _

from alliance.acting import perms, selectors
from alliance.acting.models import ITEM_LABELS
from alliance.acting.weather import AlertKind


def _date(moment) -> str:
    return moment.strftime("%d/%m/%Y")


def explain(alerts, allies_by_id) -> list[dict]:
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


def weather_alerts_for(alliance, me) -> list[dict]:
    """The alerts standing now, in words, for whoever sees them (else none)."""
    if not perms.sees_weather_alerts(me):
        return []
    rows = selectors.weather_ratings(alliance)
    return explain(selectors.weather_alerts(rows), {row.ally_id: row.ally for row in rows})
