"""Use cases of need coding and reports. Each write is one function: keyword-only
arguments, atomic, checks the permission, writes the audit entry.

A report is asked for in a request (cheap: checks and one row) and computed in a
background task (`tasks.compute_report_task`, which runs `computation`): grouped
queries, then small-count suppression, then the snapshot of what may be shown. Raw
counts are never stored."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import Organisation, User
from alliance.alliances.models import Ally, Charter, CharterInterest, Statement
from alliance.alliances.needs import label_of
from alliance.audit.journal import record, record_by_ally
from alliance.audit.models import Action

from . import perms
from .models import CustomNeedDomain, NeedCoding, Report
from .tasks import compute_report_task

# The column holds up to 32,767; past a thousand alliances a report would hide all.
MAX_THRESHOLD = 1000


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


# However the platform is set, a page never asks for a threshold below this (DESIGN
# rule 4); the suppression engine accepts 3 only for its own tests of the attack.
PAGE_MIN_THRESHOLD = 5


def threshold_floor() -> int:
    """The smallest count a report asked for from a page may show: the platform's
    setting, never below 5."""
    return max(PAGE_MIN_THRESHOLD, int(settings.ALLIANCE_REPORT_THRESHOLD))


def _clean_threshold(threshold) -> int:
    floor = threshold_floor()
    if threshold in (None, ""):
        return floor
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
    if value is None or value < floor:
        raise ValidationError(
            {
                "threshold": _(
                    "The smallest count shown must be at least %(minimum)d alliances: "
                    "below that, a number could point to a person."
                )
                % {"minimum": floor}
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


def clean_period(period_start, period_end) -> None:
    if period_start is None or period_end is None:
        raise ValidationError(_("Give the first and the last day of the period."))
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})


def request_report(
    *,
    user: User,
    scope_kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    organisation_ids=(),
    territory: str = "",
    threshold=None,
) -> Report:
    """Checks the request and queues the computation. A scope the user may not see
    is refused (PermissionDenied) before anything is saved."""
    _require(perms.can_request_reports(user))
    threshold = _clean_threshold(threshold)
    clean_period(period_start, period_end)
    organisations, label, territory = _scope(user, scope_kind, list(organisation_ids), territory)
    if not organisations:
        raise ValidationError(_("No organisation is in this scope."))
    with transaction.atomic():
        return queue_report(
            user=user,
            scope_kind=scope_kind,
            organisations=organisations,
            label=label,
            territory=territory,
            owner_id=user.organisation_id,
            period_start=period_start,
            period_end=period_end,
            threshold=threshold,
        )


def queue_report(
    *,
    user: User,
    scope_kind,
    organisations,
    label,
    territory,
    owner_id,
    period_start,
    period_end,
    threshold,
) -> Report:
    """Saves a report over checked organisations and queues its computation. The
    callers (`request_report`, and a decision maker's request in `requests`) have
    checked the permission and the scope; this runs in their transaction."""
    report = Report.objects.create(
        scope_kind=scope_kind,
        scope_label=label[:300],
        territory=territory,
        owner_id=owner_id,
        period_start=period_start,
        period_end=period_end,
        threshold=threshold,
        requested_by=user,
    )
    report.organisations.set(organisations)
    record(
        user,
        Action.REPORT_REQUESTED,
        organisation_id=owner_id,
        target=report,
        detail={"scope": scope_kind, "organisations": len(organisations)},
    )
    compute_report_task.enqueue(report.pk)
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
