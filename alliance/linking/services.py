"""Use cases of linking alliances into collectives. Each write: keyword-only
arguments, atomic, permission checked, audited."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.alliances.models import (
    Charter,
    CharterInterest,
    PerimeterEntry,
    PerimeterStatus,
    Role,
)
from alliance.alliances.needs import label_of, suggest_need
from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action
from alliance.collectives.models import (
    Collective,
    CollectiveMember,
    MemberRole,
    MemberStanding,
)

from . import perms
from .matching import shared_needs
from .models import LinkConsent, LinkedCollective


def _require(allowed):
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def give_link_consent(*, ally) -> LinkConsent:
    _require(perms.can_decide_linking(ally))
    if ally.alliance.organisation_id is None:
        raise ValidationError(
            _("Only alliances followed by an organisation can be linked with others.")
        )
    consent, created = LinkConsent.objects.select_for_update().get_or_create(
        alliance=ally.alliance, defaults={"given_by": ally}
    )
    if not created:
        if consent.is_active:
            return consent
        consent.given_by, consent.given_at, consent.withdrawn_at = ally, timezone.now(), None
        consent.save(update_fields=["given_by", "given_at", "withdrawn_at"])
    record_by_ally(ally, Action.LINK_CONSENT_GIVEN, target=consent)
    return consent


@transaction.atomic
def withdraw_link_consent(*, ally) -> LinkConsent | None:
    """From now on the alliance is neither shown nor counted; memberships already
    taken in linked collectives stay, and are left like any other."""
    _require(perms.can_decide_linking(ally))
    consent = (
        LinkConsent.objects.select_for_update()
        .filter(alliance=ally.alliance, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        return None
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    record_by_ally(ally, Action.LINK_CONSENT_WITHDRAWN, target=consent)
    return consent


def alliance_needs(alliance_ids) -> dict[int, set[str]]:
    """Need codes of each alliance's signed charter (see `matching`). Two queries."""
    needs: dict[int, set[str]] = {a: set() for a in alliance_ids}
    charters = Charter.objects.filter(alliance_id__in=needs, status=Charter.Status.SIGNED)
    perimeter = PerimeterEntry.objects.filter(
        charter__in=charters, status=PerimeterStatus.IN_ALLIANCE
    ).exclude(domain_code="")
    for alliance_id, code in perimeter.values_list("charter__alliance_id", "domain_code"):
        needs[alliance_id].add(code)
    interests = CharterInterest.objects.filter(charter__in=charters)
    for alliance_id, text in interests.values_list("charter__alliance_id", "text"):
        code = suggest_need(text)
        if code:
            needs[alliance_id].add(code)
    return needs


@dataclass(frozen=True)
class Suggestion:
    need_code: str
    label: str
    others: int  # other consenting alliances with this need, never which ones
    collective: Collective | None  # the linked collective, once someone started it
    joined: bool  # the viewer is already a member


def suggestions_for(ally) -> list[Suggestion] | None:
    """None until the alliance consented; then the needs it shares with other
    consenting alliances of its organisation."""
    alliance = ally.alliance
    consenting = list(
        LinkConsent.objects.filter(
            alliance__organisation_id=alliance.organisation_id, withdrawn_at__isnull=True
        ).values_list("alliance_id", flat=True)
    )
    if alliance.organisation_id is None or alliance.pk not in consenting:
        return None
    shared = shared_needs(alliance_needs(consenting), alliance.pk)
    linked = {
        lc.need_code: lc.collective
        for lc in LinkedCollective.objects.filter(
            organisation_id=alliance.organisation_id, need_code__in=list(shared)
        ).select_related("collective")
    }
    mine = set(
        CollectiveMember.objects.filter(
            user=ally.user,
            status=CollectiveMember.Status.ACTIVE,
            collective__in=[c.pk for c in linked.values()],
        ).values_list("collective_id", flat=True)
    )
    return [
        Suggestion(
            need_code=code,
            label=label_of(code) or code,
            others=n,
            collective=linked.get(code),
            joined=code in linked and linked[code].pk in mine,
        )
        for code, n in shared.items()
    ]


@transaction.atomic
def join_linked_collective(*, ally, need_code: str) -> CollectiveMember:
    """The person (or representative) joins, or starts, the collective of the
    consenting alliances that share this need; whoever starts it facilitates it."""
    _require(perms.can_decide_linking(ally))
    suggestions = suggestions_for(ally)
    if suggestions is None:
        raise ValidationError(_("First agree that your alliance may be linked with others."))
    if need_code not in {s.need_code for s in suggestions}:
        raise ValidationError(_("No other alliance shares this common interest."))
    organisation = ally.alliance.organisation
    linked = (
        LinkedCollective.objects.select_for_update()
        .filter(organisation=organisation, need_code=need_code)
        .select_related("collective")
        .first()
    )
    starting = linked is None
    if starting:
        collective = Collective.objects.create(
            name=_("Alliances together: %(need)s") % {"need": label_of(need_code)},
            description=_("Alliances that share this common interest and chose to act together."),
            kind=Collective.Kind.LINKED_ALLIANCES,
            organisation=organisation,
            created_by=ally.user,
        )
        linked = LinkedCollective.objects.create(
            collective=collective, organisation=organisation, need_code=need_code
        )
    collective = linked.collective
    existing = CollectiveMember.objects.filter(collective=collective, user=ally.user).first()
    if existing is not None and existing.status == CollectiveMember.Status.ACTIVE:
        raise ValidationError(_("You are already a member of this collective."))
    standing = MemberStanding.PERSON if ally.role == Role.PERSON else MemberStanding.RELATIVE
    if existing is not None:
        existing.status = CollectiveMember.Status.ACTIVE
        existing.save(update_fields=["status"])
        member = existing
    else:
        member = CollectiveMember.objects.create(
            collective=collective,
            user=ally.user,
            role=MemberRole.FACILITATOR if starting else MemberRole.MEMBER,
            standing=standing,
        )
    record_by_ally(
        ally, Action.LINKED_COLLECTIVE_JOINED, target=collective, need=need_code, started=starting
    )
    return member
