"""Use cases of need coding and reports. Each write is one function: keyword-only
arguments, atomic, checks the permission, writes the audit entry.

A report is asked for in a request (cheap: checks and one row) and computed in a
background task (`tasks.compute_report_task`): grouped queries, then small-count
suppression, then the snapshot of what may be shown. Raw counts are never stored."""

import datetime
import itertools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import Organisation, User
from alliance.alliances.models import Ally, Charter, CharterInterest, Statement
from alliance.alliances.needs import label_of
from alliance.audit.journal import record, record_by_ally
from alliance.audit.models import Action

from . import aggregates, perms
from .models import CustomNeedDomain, NeedCoding, Report
from .suppression import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    CountSeries,
    CountTable,
    suppress,
    suppress_related,
)

# The column holds up to 32,767; past a thousand alliances a report would hide all.
MAX_THRESHOLD = 1000

TABLES = ("alliances", "needs", "unmet", "unmet_status", "divergences", "reviews")


def _require(allowed):
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- need coding


def adopted_statement_ids(alliance) -> set[int]:
    """Statements adopted as common interests (or goals) in a live charter."""
    return set(
        CharterInterest.objects.filter(charter__alliance=alliance)
        .exclude(charter__status=Charter.Status.SUPERSEDED)
        .values_list("statement_id", flat=True)
    )


def code_need(
    *,
    ally: Ally,
    statement: Statement,
    serafin_code: str = "",
    custom_domain_id: int | None = None,
    new_domain: str = "",
) -> NeedCoding | None:
    """Sets, changes or clears (all blank) the need domain of an adopted interest.
    A new domain name creates the organisation's own domain."""
    _require(perms.can_code_need(ally) and statement.alliance_id == ally.alliance_id)
    if statement.pk not in adopted_statement_ids(ally.alliance):
        raise ValidationError(_("Only an adopted common interest or goal carries a need domain."))
    new_domain = " ".join(new_domain.split())
    chosen = [bool(serafin_code), custom_domain_id is not None, bool(new_domain)]
    if sum(chosen) > 1:
        raise ValidationError(_("Choose one need domain, or name your own, not both."))
    if serafin_code and not label_of(serafin_code):
        raise ValidationError({"serafin_code": _("Choose a need from the list.")})
    organisation_id = ally.alliance.organisation_id
    if (custom_domain_id is not None or new_domain) and organisation_id is None:
        raise ValidationError(_("Only an alliance of an organisation can use its own domains."))
    if len(new_domain) > 120:
        raise ValidationError({"new_domain": _("Keep the name under 120 characters.")})
    with transaction.atomic():
        custom = None
        if custom_domain_id is not None:
            custom = CustomNeedDomain.objects.filter(
                pk=custom_domain_id, organisation_id=organisation_id
            ).first()
            if custom is None:
                raise ValidationError(_("Choose one of your organisation's domains."))
        elif new_domain:
            custom, _created = CustomNeedDomain.objects.get_or_create(
                organisation_id=organisation_id, name=new_domain
            )
        if not any(chosen):
            NeedCoding.objects.filter(statement=statement).delete()
            record_by_ally(ally, Action.NEED_CODED, target=statement, code="")
            return None
        coding, _created = NeedCoding.objects.update_or_create(
            statement=statement,
            defaults={
                "alliance_id": statement.alliance_id,
                "serafin_code": serafin_code,
                "custom_domain": custom,
                "coded_by": ally,
            },
        )
        record_by_ally(
            ally,
            Action.NEED_CODED,
            target=statement,
            code=serafin_code or "custom",
        )
    return coding


# ---------------------------------------------------------------- reports


def _clean_threshold(threshold) -> int:
    if threshold in (None, ""):
        return DEFAULT_THRESHOLD
    try:
        value = int(threshold)
    except (TypeError, ValueError):
        value = None
    if value is not None and value > MAX_THRESHOLD:
        raise ValidationError(
            {
                "threshold": _(
                    "The smallest count shown must be at most %(maximum)d alliances: above "
                    "that, the report would hide everything."
                )
                % {"maximum": MAX_THRESHOLD}
            }
        )
    if value is None or value < MIN_THRESHOLD:
        raise ValidationError(
            {
                "threshold": _(
                    "The smallest count shown must be at least %(minimum)d alliances: "
                    "below that, a number could point to a person."
                )
                % {"minimum": MIN_THRESHOLD}
            }
        )
    return value


def _scope(user, scope_kind, organisation_ids, territory):
    """The organisations of the scope and its label, or PermissionDenied."""
    if scope_kind == Report.ScopeKind.ORGANISATION:
        organisations = list(Organisation.objects.filter(pk__in=organisation_ids[:1]))
        if not organisations or not perms.can_see_organisation(user, organisations[0]):
            raise PermissionDenied
        return organisations, organisations[0].name, ""
    if scope_kind == Report.ScopeKind.ORGANISATIONS:
        organisations = list(Organisation.objects.filter(pk__in=organisation_ids))
        if len(organisations) != len(set(organisation_ids)) or not perms.can_see_organisations(
            user, organisations
        ):
            raise PermissionDenied
        return organisations, ", ".join(o.name for o in organisations), ""
    if scope_kind == Report.ScopeKind.TERRITORY:
        territory = (territory or "").strip()
        if not perms.can_see_territory(user, territory):
            raise PermissionDenied
        organisations = list(Organisation.objects.filter(territory=territory))
        return organisations, territory, territory
    raise ValidationError({"scope_kind": _("Choose what the report covers.")})


def request_report(
    *,
    user: User,
    scope_kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    organisation_ids=(),
    territory: str = "",
    threshold=DEFAULT_THRESHOLD,
) -> Report:
    """Checks the request and queues the computation. A scope the user may not see
    is refused (PermissionDenied) before anything is saved."""
    _require(perms.can_request_reports(user))
    threshold = _clean_threshold(threshold)
    if period_start is None or period_end is None:
        raise ValidationError(_("Give the first and the last day of the period."))
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    organisations, label, territory = _scope(user, scope_kind, list(organisation_ids), territory)
    if not organisations:
        raise ValidationError(_("No organisation is in this scope."))
    from .tasks import compute_report_task

    with transaction.atomic():
        report = Report.objects.create(
            scope_kind=scope_kind,
            scope_label=label[:300],
            territory=territory,
            owner_id=user.organisation_id,
            period_start=period_start,
            period_end=period_end,
            threshold=threshold,
            requested_by=user,
        )
        report.organisations.set(organisations)
        record(
            user,
            Action.REPORT_REQUESTED,
            organisation_id=user.organisation_id,
            target=report,
            detail={"scope": scope_kind, "organisations": len(organisations)},
        )
        compute_report_task.enqueue(report.pk)
    return report


def _as_suppressible(table):
    if isinstance(table, aggregates.Table):
        return CountTable.of(
            table.counts,
            row_totals=table.row_totals,
            column_totals=table.column_totals,
            grand_total=table.grand_total,
        )
    return CountSeries.of(table.counts, total=table.total)


def _layout(key, raw) -> dict:
    if isinstance(raw, aggregates.Table):
        return {"key": key, "shape": "table", "rows": list(raw.rows), "columns": list(raw.columns)}
    return {"key": key, "shape": "series", "rows": list(raw.rows)}


def _neighbours(report: Report, organisation_ids: set[int]):
    """Ready reports of the same period whose scope differs from this one by exactly
    one organisation: a reader holding both could subtract them."""
    smaller, larger = [], []
    others = (
        Report.objects.filter(
            status=Report.Status.READY,
            period_start=report.period_start,
            period_end=report.period_end,
        )
        .exclude(pk=report.pk)
        .prefetch_related("organisations")
    )
    for other in others:
        theirs = {o.pk for o in other.organisations.all()}
        if theirs < organisation_ids and len(organisation_ids - theirs) == 1:
            smaller.append((other, theirs))
        elif organisation_ids < theirs and len(theirs - organisation_ids) == 1:
            larger.append((other, theirs))
    return smaller, larger


class DifferencingRefused(Exception):
    pass


def suppress_counts(
    counts: aggregates.Counts,
    k: int,
    *,
    smaller: list[aggregates.Counts] = (),
    larger: list[tuple[aggregates.Counts, dict]] = (),
) -> dict:
    """Every table suppressed, jointly with the reports nested by one organisation.

    `smaller`: raw counts of published scopes one organisation smaller; this report
    is then the larger of each pair and hides what subtraction would reveal.
    `larger`: raw counts and published tables of scopes one organisation larger,
    already published and never changed: if protecting the pair would need the larger
    one to hide a value it shows, the report is refused (DifferencingRefused)."""
    tables = {}
    for key in TABLES:
        raw = getattr(counts, key)
        mine = _as_suppressible(raw)
        if not smaller and not larger:
            result = suppress(mine, k=k)
        else:
            chain = [_as_suppressible(getattr(c, key)) for c in smaller]
            me = len(chain)
            chain.append(mine)
            pairs = [(i, me) for i in range(me)]
            for other, _published_tables in larger:
                pairs.append((me, len(chain)))
                chain.append(_as_suppressible(getattr(other, key)))
            results = suppress_related(chain, pairs, k=k)
            result = results[me]
            for (_other, published_tables), needed in zip(larger, results[me + 1 :], strict=True):
                # A report published before this table existed shows none of it.
                if key in published_tables and _shows_hidden(published_tables[key], needed):
                    raise DifferencingRefused(key)
        tables[key] = _layout(key, raw) | result.published()
    return tables


def _shows_hidden(published: dict, needed) -> bool:
    """Whether a published table shows a value that `needed` hides."""
    shown = needed.published()
    if "grand_total" in shown:
        pairs = [
            *zip(
                itertools.chain.from_iterable(published["cells"]),
                itertools.chain.from_iterable(shown["cells"]),
                strict=True,
            ),
            *zip(published["row_totals"], shown["row_totals"], strict=True),
            *zip(published["column_totals"], shown["column_totals"], strict=True),
            (published["grand_total"], shown["grand_total"]),
        ]
    else:
        pairs = [
            *zip(published["cells"], shown["cells"], strict=True),
            (published["total"], shown["total"]),
        ]
    return any(mine is not None and needed_value is None for mine, needed_value in pairs)


def _published_weather(weather: aggregates.Weather, k: int) -> dict:
    """An average is shown only over at least k alliances rated in its period (the
    rule docs/suppression.md gives for averages); so is the number of alliances."""

    def enough(n):
        return n >= k

    return {
        "items": list(weather.items),
        "current": list(weather.current) if enough(weather.alliances_current) else None,
        "previous": list(weather.previous) if enough(weather.alliances_previous) else None,
        "alliances": [
            n if enough(n) or n == 0 else None
            for n in (weather.alliances_current, weather.alliances_previous)
        ],
    }


def compute_report(report_id: int) -> Report:
    """Runs in a background task: counts, suppression, snapshot. A failure leaves the
    report marked as failed with the reason, never half-written."""
    report = Report.objects.get(pk=report_id)
    organisation_ids = set(report.organisations.values_list("pk", flat=True))
    start, end, k = report.period_start, report.period_end, report.threshold
    counts = aggregates.counts(organisation_ids, start, end)
    smaller, larger = _neighbours(report, organisation_ids)
    try:
        tables = suppress_counts(
            counts,
            k,
            smaller=[aggregates.counts(ids, start, end) for _other, ids in smaller],
            larger=[
                (aggregates.counts(ids, start, end), other.snapshot["tables"])
                for other, ids in larger
            ],
        )
    except DifferencingRefused:
        report.status = Report.Status.FAILED
        report.failure = "differencing"
        report.computed_at = timezone.now()
        report.save(update_fields=["status", "failure", "computed_at"])
        return report
    alliances_shown = tables["alliances"]["total"]
    report.snapshot = {
        "version": 1,
        "scope": {
            "kind": report.scope_kind,
            "label": report.scope_label,
            "organisations": len(organisation_ids),
        },
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "threshold": k,
        "tables": tables,
        # Quotes only when the report covers enough alliances to publish its total.
        "quotes": aggregates.quotes(organisation_ids, start, end)
        if alliances_shown is not None and alliances_shown >= k
        else [],
        "weather": _published_weather(aggregates.weather(organisation_ids, start, end), k),
        "protected_with": len(smaller) + len(larger),
    }
    report.status = Report.Status.READY
    report.computed_at = timezone.now()
    report.snapshot["computed_at"] = report.computed_at.isoformat()
    report.save(update_fields=["snapshot", "status", "computed_at"])
    return report


@transaction.atomic
def publish_report(*, user: User, report: Report, recipients) -> Report:
    """Sends the report to decision makers: they then read it, its tables only."""
    _require(perms.can_publish_report(user, report))
    recipients = list(recipients)
    if not recipients:
        raise ValidationError({"recipients": _("Choose at least one decision maker.")})
    if any(not r.is_decision_maker or not r.is_active for r in recipients):
        raise ValidationError({"recipients": _("Reports are published to decision makers only.")})
    report.published_to.add(*recipients)
    report.published_at = timezone.now()
    report.save(update_fields=["published_at"])
    record(
        user,
        Action.REPORT_PUBLISHED,
        organisation_id=report.owner_id,
        target=report,
        detail={"to": [r.pk for r in recipients]},
    )
    return report


def record_read(user: User, report: Report, what: str) -> None:
    """Who read or exported which report, and in which form."""
    record(
        user,
        Action.REPORT_VIEWED,
        organisation_id=report.owner_id,
        target=report,
        detail={"as": what},
    )
