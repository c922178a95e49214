"""Writing to the audit trail. Use-case functions call `record` inside their own
transaction, so an action and its trace are saved together or not at all."""

from .models import Action, AuditEntry


def record(
    actor, action: Action, *, alliance_id=None, organisation_id=None, target=None, detail=None
) -> AuditEntry:
    action = Action(action)  # refuses a word the trail does not know
    label = getattr(actor, "display_name", "") or (str(actor) if actor else "")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label[:200],
        action=action,
        alliance_id=alliance_id,
        organisation_id=organisation_id,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=getattr(target, "pk", None),
        detail=detail or {},
    )


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


def entries_for_alliance(alliance_id):
    return AuditEntry.objects.filter(alliance_id=alliance_id).select_related(None)
