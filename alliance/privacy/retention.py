"""The retention policy's part that erases (ADR 0033): `alliance apply_retention`,
daily, with `--dry-run`. The policy is `settings.ALLIANCE_RETENTION_POLICY`; the kinds
whose job is "purge_expired" or "archive_audit" are done by those jobs
(alliance.upkeep.retention, alliance.audit.archive).

1. A closed alliance past its `keep_until` is erased: its content (statements, votes,
   charters, means, actions, journal and voice notes, readings, weather, reviews,
   meetings, attachments and their bytes, documents and their files...) is deleted
   with the alliance row itself. The trail names alliances by id only, so no
   tombstone is needed: its entries stay, counted as before. Reports already
   computed hold aggregates only and stay.
2. Accounts are pseudonymised when their erasure was asked (or the account removed)
   and nothing they took part in is kept any more, and the persons and relatives
   (or closed accounts) of an alliance erased now who have nothing else here."""

import dataclasses
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import DO_NOTHING, SET_NULL
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone

from alliance.accounts.models import User
from alliance.alliances.models import Alliance
from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.collectives.models import Collective
from alliance.reports.models import Proposal, Report

from . import erasure

# What an alliance's erasure must never reach: if one of them pointed at a row of an
# alliance, the job stops rather than delete it.
NEVER_ERASED_HERE = (User, Collective, Proposal, Report)

log = logging.getLogger("alliance.retention")


@dataclasses.dataclass
class Plan:
    alliances: list[Alliance]
    accounts: list[User]

    def counts(self) -> dict[str, int]:
        return {
            "alliances_erased": len(self.alliances),
            "accounts_pseudonymised": len(self.accounts),
        }


def expired_alliances(today):
    return Alliance.objects.filter(closed_at__isnull=False, keep_until__lt=today).order_by("pk")


def _accounts_after(alliances, today) -> list[User]:
    """Who is pseudonymised once `alliances` are erased: computed before erasing, so
    that the dry run finds the same accounts."""
    erased_ids = {alliance.pk for alliance in alliances}
    candidates = {}
    for user in erasure.waiting_erasure():
        candidates[user.pk] = (user, True)
    for user in User.objects.filter(allies__alliance__in=erased_ids).distinct():
        candidates.setdefault(user.pk, (user, False))
    chosen = []
    for user, asked in candidates.values():
        if erasure.is_pseudonymised(user):
            continue
        remaining = user.allies.exclude(alliance_id__in=erased_ids).select_related("alliance")
        still_kept = any(
            ally.alliance.closed_at is None
            or (ally.alliance.keep_until is not None and ally.alliance.keep_until >= today)
            for ally in remaining
        )
        if still_kept:
            continue
        if asked:
            chosen.append(user)
            continue
        # Not asked: only when nothing else of theirs lives here, and the account is a
        # person's or a relative's, or was closed (a professional's working account
        # stays while they work).
        has_more = (
            remaining.exists() or user.collective_memberships.filter(status="active").exists()
        )
        if not has_more and (user.kind == User.Kind.INDIVIDUAL or not user.is_active):
            chosen.append(user)
    return sorted(chosen, key=lambda user: user.pk)


def plan(now=None) -> Plan:
    today = timezone.localdate(now or timezone.now())
    alliances = list(expired_alliances(today))
    return Plan(alliances=alliances, accounts=_accounts_after(alliances, today))


def rows_of(alliance: Alliance) -> tuple[dict, list]:
    """Every row that exists because of the alliance: those pointing at it, then at
    them, and so on, whatever their `on_delete` (many are PROTECT, so that nothing
    inside an alliance goes by mistake; here everything goes on purpose). One query
    per relation and depth, whatever the size of the alliance. Returns {model: pks}
    and the (field, pks) to set to NULL where the relation says so."""
    found: dict = defaultdict(set)
    to_null = []
    queue = [(Alliance, {alliance.pk})]
    while queue:
        model, pks = queue.pop()
        pks = pks - found[model]
        if not pks:
            continue
        found[model] |= pks
        for relation in get_candidate_relations_to_delete(model._meta):
            field = relation.field
            related = relation.related_model
            rows = related._base_manager.filter(**{f"{field.name}__in": pks})
            if field.remote_field.on_delete is DO_NOTHING:
                continue
            if field.remote_field.on_delete is SET_NULL:
                to_null.append((field, set(rows.values_list("pk", flat=True))))
                continue
            if related in NEVER_ERASED_HERE:
                raise ValueError(f"{related.__name__} depends on an alliance's row")
            queue.append((related, set(rows.values_list("pk", flat=True))))
    return found, to_null


def erase_alliance(alliance: Alliance) -> None:
    """Deletes the alliance and everything in it, in one transaction (the foreign
    keys are checked at its end), and says so in the trail."""
    with transaction.atomic():
        alliance_id, organisation_id = alliance.pk, alliance.organisation_id
        closed_on = alliance.closed_at.date().isoformat()
        keep_until = alliance.keep_until.isoformat()
        found, to_null = rows_of(alliance)
        for field, pks in to_null:
            if pks:
                field.model._base_manager.filter(pk__in=pks).update(**{field.name: None})
        for model, pks in found.items():
            model._base_manager.filter(pk__in=pks)._raw_delete(model._base_manager.db)
        record(
            None,
            Action.ALLIANCE_ERASED,
            alliance_id=alliance_id,
            organisation_id=organisation_id,
            detail={"job": "apply_retention", "closed_on": closed_on, "keep_until": keep_until},
        )


def apply_retention(now=None, *, dry_run=False) -> dict[str, int]:
    """Erases what the policy says is past its time; returns how many of each. The
    dry run returns the same numbers and changes nothing."""
    planned = plan(now)
    counts = planned.counts()
    if dry_run:
        return counts
    for alliance in planned.alliances:
        erase_alliance(alliance)
    for user in planned.accounts:
        erasure.pseudonymise_user(user, by=None, reason="retention")
    if any(counts.values()):
        record(None, Action.RETENTION_APPLIED, detail={"job": "apply_retention", **counts})
    log.info("retention applied", extra={"job": "apply_retention", "counts": counts})
    return counts
