"""Starting an alliance from a DUI bundle (ADR 0031): one use case, run after the
professional has reviewed what the bundle holds and chosen whom to invite. The
person is invited as on the "new alliance" page; the needs become the draft
charter's life domains in the alliance; the expectations and objectives become
statements written by the professional and marked with where they come from."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.alliances import services as alliances
from alliance.alliances.models import (
    Alliance,
    PerimeterEntry,
    PerimeterStatus,
    Role,
    Statement,
    StatementKind,
    StatementSource,
)
from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action

from . import perms
from .dui_reading import DuiContent

# Roles the review step offers for someone the bundle names: never the person's own
# role (the bundle's Patient is the person), never a role the bundle cannot tell.
INVITED_ROLES = (
    Role.REPRESENTATIVE,
    Role.RELATIVE,
    Role.TRUSTED_PERSON,
    Role.PROFESSIONAL,
    Role.PEER,
    Role.OTHER,
)


@dataclass
class Invitation:
    """Someone of the bundle the professional chose to invite, with the role and the
    address they confirmed (an empty address: an account handed over in person)."""

    index: int
    role: str
    email: str = ""


def start_alliance_from_dui(
    *,
    professional,
    content: DuiContent,
    title: str,
    person_email: str = "",
    person_is_protected: bool,
    invitations: list[Invitation],
) -> Alliance:
    if not perms.can_import_dui(professional):
        raise PermissionDenied
    if content.person is None:
        raise ValidationError(_("This file names nobody the alliance would be for."))
    for invitation in invitations:
        if invitation.role not in INVITED_ROLES or not 0 <= invitation.index < len(content.people):
            raise ValidationError({"role": _("Choose a role from the list.")})
    born_on = (
        datetime.date.fromisoformat(content.person.born_on) if content.person.born_on else None
    )
    with transaction.atomic():
        alliance = alliances.create_alliance(
            creator=professional,
            title=title,
            person_name=content.person.name,
            person_email=person_email,
            person_is_protected=person_is_protected,
            person_born_on=born_on,
        )
        me = alliance.allies.get(user=professional)
        for invitation in invitations:
            someone = content.people[invitation.index]
            alliances.invite_ally(
                inviter=me, display_name=someone.name, email=invitation.email, role=invitation.role
            )
        charter = alliance.charters.get()
        for need in content.needs:
            PerimeterEntry.objects.get_or_create(
                charter=charter,
                label=need.label,
                defaults={"domain_code": need.code, "status": PerimeterStatus.IN_ALLIANCE},
            )
        for words in (*content.expectations, *content.objectives):
            statement = Statement.objects.create(
                alliance=alliance,
                author=me,
                kind=StatementKind(words.kind),
                text=words.text,
                source=StatementSource.DUI,
                source_label=content.source_label,
                source_author=words.author,
                source_from_person=words.from_person,
            )
            record_by_ally(me, Action.STATEMENT_IMPORTED, target=statement)
        record_by_ally(
            me,
            Action.DUI_IMPORTED,
            target=alliance,
            source=content.source_label,
            needs=len(content.needs),
            expectations=len(content.expectations),
            objectives=len(content.objectives),
            invited=len(invitations),
        )
    return alliance
