"""Writing to the audit trail. Use-case functions call `record` inside their own
transaction, so an action and its trace are saved together or not at all."""

import contextvars
from contextlib import contextmanager

from .models import Action, AuditEntry

_watchers = contextvars.ContextVar("audit_watchers", default=())


@contextmanager
def watching():
    """Collects the entries recorded inside the block (in this thread or task), so a
    caller can tell whether what it ran already left its trace."""
    written = []
    token = _watchers.set((*_watchers.get(), written))
    try:
        yield written
    finally:
        _watchers.reset(token)


def record(
    actor, action: Action, *, alliance_id=None, organisation_id=None, target=None, detail=None
) -> AuditEntry:
    action = Action(action)  # refuses a word the trail does not know
    label = getattr(actor, "display_name", "") or (str(actor) if actor else "")
    entry = AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label[:200],
        action=action,
        alliance_id=alliance_id,
        organisation_id=organisation_id,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=getattr(target, "pk", None),
        detail=detail or {},
    )
    for written in _watchers.get():
        written.append(entry)
    return entry


def record_by_ally(ally, action: Action, *, target=None, **detail) -> AuditEntry:
    """An action taken by an ally inside their alliance, filed under that alliance so
    the person sees it in "who looked at my alliance"."""
    return record(
        ally.user,
        action,
        alliance_id=ally.alliance_id,
        organisation_id=ally.alliance.organisation_id,
        target=target,
        detail=detail,
    )


def record_account_event(
    actor, action: Action, *, account, organisation_id=None, detail=None
) -> list[AuditEntry]:
    """A credential or access event of `account` (a letter prepared, a way back in
    added, access re-issued, sessions ended…): one entry outside any alliance, and one
    in the trail of every alliance the account is an ally of, naming the account, so
    that the person and every ally see whose access changed and by whom."""
    detail = {"account": account.display_name, "account_id": account.pk, **(detail or {})}
    # `allies` is the reverse relation of Ally.user: read by name, since the audit
    # trail imports nothing of ours. Refused allies never had access to the trail.
    alliances = (
        account.allies.exclude(status="refused")
        .values_list("alliance_id", "alliance__organisation_id")
        .order_by("alliance_id")
    )
    entries = [
        record(
            actor,
            action,
            organisation_id=organisation_id or getattr(account, "organisation_id", None),
            target=account,
            detail=detail,
        )
    ]
    for alliance_id, alliance_organisation_id in alliances:
        entries.append(
            record(
                actor,
                action,
                alliance_id=alliance_id,
                organisation_id=alliance_organisation_id,
                target=account,
                detail=detail,
            )
        )
    return entries


def entries_for_alliance(alliance_id):
    return AuditEntry.objects.filter(alliance_id=alliance_id).select_related(None)
