"""Use cases of movement 1. Each write is one function: keyword-only arguments,
atomic, checks the permission, writes the audit entry, returns the object. The
views and the demo loader call these same functions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts import activation, phones
from alliance.accounts import services as accounts
from alliance.accounts.invitations import (
    create_invited_account,
    email_link,
    new_token,
    unusable_message,
)
from alliance.accounts.invitations import expiry as invitation_expiry
from alliance.accounts.models import User, hash_secret
from alliance.audit.journal import record, record_account_event, record_by_ally
from alliance.audit.models import Action
from alliance.conflicts import ConflictError
from alliance.limits import check_lengths
from alliance.notifications.services import notify, settle, settle_alliance

from . import lifecycle, masking, perms
from .lifecycle import ensure_open
from .models import (
    MANDATE_REFERENCE_MAX,
    REMOVAL_REASON_MAX,
    AccessReissue,
    Alliance,
    Ally,
    AllyInvitation,
    AsymmetryDimension,
    AsymmetryEntry,
    Charter,
    CharterInterest,
    CharterRecognition,
    Commitment,
    Indicator,
    MandateKind,
    PerimeterEntry,
    PositionCheck,
    Role,
    Signature,
    Statement,
    StatementRevision,
    UnderstandingRevision,
    Vote,
)
from .positions import position_image
from .selectors import current_charter as current_charter_or_none
from .selectors import statement_standings


def _require(allowed):
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- alliance and allies


def create_alliance(
    *,
    creator: User,
    title: str,
    situation: str = "",
    person_name: str = "",
    person_email: str = "",
    person_is_protected: bool = False,
    person_born_on=None,
    creator_role: str | None = None,
) -> Alliance:
    """A professional creates an alliance around a person (who is invited), or a
    person creates their own. The creator who is not the person waits for approval
    like everyone else, a legal representative too (ADR 0009)."""
    if not title.strip():
        raise ValidationError({"title": _("Give the alliance a title.")})
    creator_is_person = creator_role == Role.PERSON or (
        creator_role is None and not creator.is_professional
    )
    if not creator_is_person and not person_name.strip():
        raise ValidationError({"person_name": _("Name the person the alliance is for.")})
    if creator.is_decision_maker:
        raise PermissionDenied
    check_lengths(situation=(situation, Alliance.SITUATION_MAX_LENGTH))
    if person_born_on is not None and person_born_on > timezone.localdate():
        raise ValidationError({"person_born_on": _("A date of birth cannot be in the future.")})
    if creator_role == Role.REPRESENTATIVE and not person_is_protected:
        raise ValidationError(
            {
                "person_is_protected": _(
                    "A legal representative acts only for a minor or a protected adult."
                )
            }
        )
    with transaction.atomic():
        alliance = Alliance.objects.create(
            title=title.strip(),
            situation=situation.strip(),
            created_by=creator,
            organisation=creator.organisation if creator.is_professional else None,
            person_is_protected=person_is_protected,
        )
        if creator_is_person:
            creator_ally = Ally.objects.create(
                alliance=alliance,
                user=creator,
                role=Role.PERSON,
                status=Ally.Status.ACTIVE,
                joined_at=timezone.now(),
            )
            _read_easily_as_person(creator)
        else:
            creator_ally = Ally.objects.create(
                alliance=alliance,
                user=creator,
                role=creator_role or Role.PROFESSIONAL,
                status=Ally.Status.AWAITING_APPROVAL,
                joined_at=timezone.now(),
            )
        record_by_ally(creator_ally, Action.ALLIANCE_CREATED, target=alliance)
        # The first draft of the charter is opened with the alliance, so that reading
        # the charter page never writes.
        Charter.objects.create(alliance=alliance, number=1)
        if not creator_is_person:
            # A birth date is kept only for an account made here, without email: one
            # invited by email is its owner's, who says what they want about themselves.
            _invite(
                inviter=creator_ally,
                display_name=person_name,
                email=person_email,
                role=Role.PERSON,
                born_on=person_born_on,
            )
    return alliance


def _check_invitation(*, alliance: Alliance, role: str, email: str = "") -> None:
    """What an invitation must respect, whether by email or not: checks look at the
    allies and at the invitations still waiting."""
    if role == Role.REPRESENTATIVE and not alliance.person_is_protected:
        raise ValidationError(
            {
                "role": _(
                    "A legal representative acts only for a minor or a protected adult. "
                    "Invite them as a relative or a trusted person."
                )
            }
        )
    pending = alliance.invitations.filter(
        status=AllyInvitation.Status.PENDING, expires_at__gt=timezone.now()
    )
    if role == Role.PERSON and (
        alliance.allies.filter(role=Role.PERSON).exists()
        or pending.filter(role=Role.PERSON).exists()
    ):
        raise ValidationError({"role": _("This alliance already has its person.")})
    if email and (
        pending.filter(email__iexact=email).exists()
        or alliance.allies.filter(user__email__iexact=email).exclude(status__in=DEPARTED).exists()
    ):
        raise ValidationError(
            {"email": _("This address is already in the alliance or invited to it.")}
        )


def _read_easily_as_person(user: User) -> None:
    """Easy-read is on by default for the person of an alliance (DESIGN rule 7),
    unless they already chose."""
    if user.easy_read is None:
        User.objects.filter(pk=user.pk, easy_read__isnull=True).update(easy_read=True)
        user.easy_read = True


def _invite(*, inviter: Ally, display_name, email, role, born_on=None) -> "Ally | AllyInvitation":
    alliance = inviter.alliance
    email = (email or "").strip()
    _check_invitation(alliance=alliance, role=role, email=email)
    if email:
        return _invite_by_email(inviter=inviter, display_name=display_name, email=email, role=role)
    # Someone without email: their account waits, unused, for the way in handed over
    # in person; nothing here shows a credential.
    kind = User.Kind.PROFESSIONAL if role == Role.PROFESSIONAL else User.Kind.INDIVIDUAL
    user = User.objects.create_user(
        email=None, display_name=display_name.strip(), kind=kind, born_on=born_on
    )
    ally = Ally.objects.create(alliance=alliance, user=user, role=role, invited_by=inviter)
    if role == Role.PERSON:
        _read_easily_as_person(user)
    record_by_ally(inviter, Action.ALLY_INVITED, target=ally, role=role)
    return ally


def _invite_by_email(*, inviter: Ally, display_name, email, role) -> AllyInvitation:
    """The same invitation and the same answer to the inviter whether or not an
    account uses the address, so that inviting tells nobody who has an account."""
    alliance = inviter.alliance
    _token, token_hash = new_token()  # the worker makes the link (ADR 0015)
    invitation = AllyInvitation.objects.create(
        alliance=alliance,
        role=role,
        display_name=display_name.strip(),
        email=email,
        invited_by=inviter,
        token_hash=token_hash,
        expires_at=invitation_expiry(),
    )
    record_by_ally(inviter, Action.ALLY_INVITATION_SENT, target=invitation, role=role)
    owner = accounts.find_user_by_email(email)
    if owner is None:
        email_link(
            invitation=invitation,
            subject=_("You are invited to an alliance"),
            body=_(
                '%(inviter)s invites you to the alliance "%(title)s" on Alliance. '
                "Open this link to answer; it works once:"
            )
            % {"inviter": inviter.user.display_name, "title": alliance.title},
        )
    elif not owner.is_decision_maker:
        notify(
            [owner],
            "ally_invitation",
            url=reverse("home"),
            key=f"ally_invitation:{invitation.pk}",
            inviter=inviter.user.display_name,
            alliance=alliance.title,
        )
    return invitation


def invite_ally(
    *,
    inviter: Ally,
    display_name: str,
    email: str = "",
    role: str,
    mandate: dict | None = None,
) -> "Ally | AllyInvitation":
    """With an email: a pending invitation that the owner of the address answers.
    Without: the ally, with an account that nobody has used yet. `mandate` (kind,
    reference, date): what the inviter knows of a representative's, recorded on the
    ally when they join."""
    _require(perms.can_invite(inviter, inviter.alliance))
    ensure_open(inviter.alliance)
    if not display_name.strip():
        raise ValidationError({"display_name": _("Write the name of the person you invite.")})
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    mandate = _stated_mandate(role, mandate)
    with transaction.atomic():
        invited = _invite(inviter=inviter, display_name=display_name, email=email, role=role)
        if mandate and isinstance(invited, Ally):
            _write_mandate(actor=inviter, representative=invited, **mandate)
        elif mandate:
            # Kept on the invitation until its owner joins: nobody has an Ally yet.
            invited.mandate = {**mandate, "date": mandate["date"] and mandate["date"].isoformat()}
            invited.save(update_fields=["mandate"])
        return invited


def _locked_open_invitation(invitation_id) -> AllyInvitation:
    invitation = (
        AllyInvitation.objects.select_for_update()
        .select_related("alliance", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open():
        raise ValidationError(unusable_message())
    return invitation


def _join_from_invitation(invitation: AllyInvitation, user: User) -> Ally:
    if user.is_decision_maker:
        raise ValidationError(_("A decision maker cannot join an alliance."))
    alliance = invitation.alliance
    if alliance.allies.filter(user=user).exclude(status__in=DEPARTED).exists():
        raise ValidationError(_("You are already in this alliance."))
    if invitation.role == Role.PERSON and alliance.allies.filter(role=Role.PERSON).exists():
        raise ValidationError(_("This alliance already has its person."))
    ally = Ally.objects.create(
        alliance=alliance, user=user, role=invitation.role, invited_by=invitation.invited_by
    )
    if invitation.role == Role.PERSON:
        _read_easily_as_person(user)
    if invitation.mandate:
        stated = invitation.mandate
        _write_mandate(
            actor=invitation.invited_by,
            representative=ally,
            kind=stated["kind"],
            reference=stated["reference"],
            date=stated["date"] and datetime.date.fromisoformat(stated["date"]),
        )
    invitation.status = AllyInvitation.Status.ACCEPTED
    invitation.answered_at, invitation.answered_by, invitation.ally = timezone.now(), user, ally
    invitation.save(update_fields=["status", "answered_at", "answered_by", "ally"])
    record_by_ally(ally, Action.ALLY_INVITATION_ACCEPTED, target=invitation)
    settle([user], f"ally_invitation:{invitation.pk}")
    return accept_invitation(ally=ally)


def answer_ally_invitation(*, user: User, invitation: AllyInvitation, accept: bool):
    """The owner of the invited address accepts (and becomes an ally, with the status
    the rules give) or declines, from their own session. Returns the ally, or the
    declined invitation."""
    _require(perms.can_answer_invitation(user, invitation))
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation.pk)
        if accept:
            return _join_from_invitation(invitation, user)
        invitation.status = AllyInvitation.Status.DECLINED
        invitation.answered_at, invitation.answered_by = timezone.now(), user
        invitation.save(update_fields=["status", "answered_at", "answered_by"])
        record(
            user,
            Action.ALLY_INVITATION_DECLINED,
            alliance_id=invitation.alliance_id,
            organisation_id=invitation.alliance.organisation_id,
            target=invitation,
        )
        settle([user], f"ally_invitation:{invitation.pk}")
    return invitation


def invitation_for_token(token: str) -> AllyInvitation | None:
    return (
        AllyInvitation.objects.select_related("alliance", "invited_by__user")
        .filter(token_hash=hash_secret(token))
        .first()
    )


def accept_ally_invitation_with_new_account(
    *, token: str, display_name: str, password: str
) -> Ally:
    """The owner of an address that had no account opens the link they received,
    creates their own account bound to that address, and accepts. If an account
    uses the address by now, nothing is created: its owner signs in and answers."""
    found = invitation_for_token(token)
    if found is None:
        raise ValidationError(unusable_message())
    with transaction.atomic():
        invitation = _locked_open_invitation(found.pk)
        kind = (
            User.Kind.PROFESSIONAL if invitation.role == Role.PROFESSIONAL else User.Kind.INDIVIDUAL
        )
        user = create_invited_account(
            email=invitation.email, display_name=display_name, password=password, kind=kind
        )
        return _join_from_invitation(invitation, user)


def withdraw_ally_invitation(*, by: Ally, invitation: AllyInvitation) -> AllyInvitation:
    """The person, their representative or the inviter withdraws a pending invitation."""
    _require(perms.can_withdraw_invitation(by, invitation))
    with transaction.atomic():
        invitation = (
            AllyInvitation.objects.select_for_update()
            .filter(pk=invitation.pk)
            .select_related("alliance")
        ).get()
        if invitation.status != AllyInvitation.Status.PENDING:
            raise ValidationError(_("This invitation has already been answered."))
        invitation.status = AllyInvitation.Status.WITHDRAWN
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        record_by_ally(by, Action.ALLY_INVITATION_WITHDRAWN, target=invitation)
        owner = accounts.find_user_by_email(invitation.email)
        if owner is not None:
            settle([owner], f"ally_invitation:{invitation.pk}")
    return invitation


def accept_invitation(*, ally: Ally) -> Ally:
    """Only the person is in at once; every other ally, a legal representative too,
    waits for approval (ADR 0009)."""
    if ally.status != Ally.Status.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    with transaction.atomic():
        ally.status = (
            Ally.Status.ACTIVE if ally.role == Role.PERSON else Ally.Status.AWAITING_APPROVAL
        )
        ally.joined_at = timezone.now()
        ally.save(update_fields=["status", "joined_at"])
        record_by_ally(ally, Action.ALLY_JOINED, target=ally)
    return ally


def decide_on_ally(*, approver: Ally, ally: Ally, approve: bool) -> Ally:
    """The person or an approved representative decides on an ally; a legal
    representative is decided on by a second pair of eyes (`perms.can_decide_on`)."""
    allies = list(approver.alliance.allies.all()) if ally.role == Role.REPRESENTATIVE else ()
    _require(perms.can_decide_on(approver, ally, allies))
    if ally.status != Ally.Status.AWAITING_APPROVAL:
        raise ValidationError(_("This ally is not waiting for an approval."))
    if approve and ally.role == Role.REPRESENTATIVE and not ally.mandate_is_recorded:
        raise ValidationError(
            _(
                "%(name)s has not recorded their mandate yet (which legal measure, its "
                "reference and date): it is needed before approving them."
            )
            % {"name": ally.user.display_name}
        )
    with transaction.atomic():
        ally.status = Ally.Status.ACTIVE if approve else Ally.Status.REFUSED
        ally.approved_by = approver
        ally.save(update_fields=["status", "approved_by"])
        record_by_ally(
            approver, Action.ALLY_APPROVED if approve else Action.ALLY_REFUSED, target=ally
        )
        # A colleague proposed to take over (ADR 0023): approved, the leaving
        # professional leaves; refused, they stay until someone else is found.
        handover = lifecycle.pending_handover_to(ally)
        if handover is not None:
            lifecycle.settle_handover(handover, approver=approver, approved=approve)
            leaving = handover.leaving
            if approve and leaving.status == Ally.Status.ACTIVE:
                leaving.status, leaving.left_at = Ally.Status.LEFT, timezone.now()
                leaving.save(update_fields=["status", "left_at"])
                record_by_ally(leaving, Action.ALLY_LEFT, target=leaving, handover=handover.pk)
                _after_departure(leaving, "ally_left")
    return ally


# ---------------------------------------------------------------- mandates, leaving


# Statuses after which the person may be invited again.
DEPARTED = (Ally.Status.REMOVED, Ally.Status.LEFT)
# Measures a judge orders: their reference and date are asked for.
COURT_MEASURES = (MandateKind.TUTELLE, MandateKind.CURATELLE, MandateKind.HABILITATION_FAMILIALE)


def clean_mandate(*, kind: str, reference: str = "", date=None) -> dict:
    """The mandate as it will be stored, or a ValidationError naming each field."""
    reference = (reference or "").strip()
    errors = {}
    if kind not in MandateKind.values:
        errors["mandate_kind"] = _("Choose the legal measure from the list.")
    if len(reference) > MANDATE_REFERENCE_MAX:
        errors["mandate_reference"] = _("Keep the reference under %(n)s characters.") % {
            "n": MANDATE_REFERENCE_MAX
        }
    elif kind in COURT_MEASURES and not reference:
        errors["mandate_reference"] = _(
            "Write the reference of the judge's decision (for example its number)."
        )
    if date is not None and date > timezone.localdate():
        errors["mandate_date"] = _("The date of the decision cannot be in the future.")
    elif kind in COURT_MEASURES and date is None:
        errors["mandate_date"] = _("Give the date of the judge's decision.")
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "reference": reference, "date": date}


def _stated_mandate(role, mandate):
    if not mandate or not mandate.get("kind"):
        return None
    if role != Role.REPRESENTATIVE:
        raise ValidationError(
            {"mandate_kind": _("Only a legal representative has a mandate to record.")}
        )
    return clean_mandate(**mandate)


def _write_mandate(*, actor: Ally, representative: Ally, kind, reference, date) -> Ally:
    first = not representative.mandate_is_recorded
    kind_changed = not first and representative.mandate_kind != kind
    representative.mandate_kind = kind
    representative.mandate_reference = reference
    representative.mandate_date = date
    fields = ["mandate_kind", "mandate_reference", "mandate_date"]
    if kind_changed and representative.is_active:
        # Another measure gives other powers: approved again, or one account would
        # give itself the representative's powers alone.
        representative.status, representative.approved_by = Ally.Status.AWAITING_APPROVAL, None
        fields += ["status", "approved_by"]
    representative.save(update_fields=fields)
    record_by_ally(
        actor,
        Action.MANDATE_RECORDED if first else Action.MANDATE_CHANGED,
        target=representative,
        kind=kind,
        reference=reference,
        date=date.isoformat() if date else "",
        approval_again=kind_changed and "status" in fields,
    )
    return representative


def record_mandate(
    *, ally: Ally, kind: str, reference: str = "", date=None, representative: Ally | None = None
) -> Ally:
    """A legal representative records or corrects their mandate; changing the measure
    once approved asks for approval again (ADR 0009)."""
    representative = representative or ally
    _require(perms.can_record_mandate(ally, representative))
    mandate = clean_mandate(kind=kind, reference=reference, date=date)
    with transaction.atomic():
        return _write_mandate(actor=ally, representative=representative, **mandate)


def _after_departure(ally: Ally, kind: str, **params):
    """The remaining allies are told, and a charter that only waited for the departed
    ally's signature is signed by everyone who is still in the alliance."""
    alliance = ally.alliance
    settle_alliance(ally.user, alliance.pk)
    remaining = list(
        alliance.allies.filter(status=Ally.Status.ACTIVE).exclude(pk=ally.pk).select_related("user")
    )
    charter = alliance.charters.filter(status=Charter.Status.SIGNING).first()
    if charter is not None and remaining:
        signed = set(charter.signatures.values_list("ally_id", flat=True))
        if all(a.pk in signed for a in remaining):
            charter.status, charter.signed_at = Charter.Status.SIGNED, timezone.now()
            charter.save(update_fields=["status", "signed_at"])
    notify(
        [a.user for a in remaining if a.pk != params.get("actor_pk")],
        kind,
        url=reverse("alliances:overview", args=[alliance.pk]),
        alliance_id=alliance.pk,
        alliance=alliance.title,
        name=ally.user.display_name,
        **{k: v for k, v in params.items() if k != "actor_pk"},
    )


def remove_ally(*, remover: Ally, ally: Ally, reason: str = "") -> Ally:
    """The person or their approved representative removes another ally: their access
    ends at once; what they said, voted and signed stays theirs in the history."""
    _require(perms.can_remove(remover, ally))
    reason = (reason or "").strip()
    if len(reason) > REMOVAL_REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)s characters.") % {"n": REMOVAL_REASON_MAX}}
        )
    with transaction.atomic():
        ally.status, ally.removed_by, ally.removed_at = Ally.Status.REMOVED, remover, timezone.now()
        ally.removal_reason = reason
        ally.save(update_fields=["status", "removed_by", "removed_at", "removal_reason"])
        record_by_ally(remover, Action.ALLY_REMOVED, target=ally, reason=reason)
        _after_departure(ally, "ally_removed", by=remover.user.display_name, actor_pk=remover.pk)
        notify(
            [ally.user],
            "removed_from_alliance",
            url=reverse("home"),
            alliance=ally.alliance.title,
            by=remover.user.display_name,
        )
    return ally


def leave_alliance(*, ally: Ally) -> Ally:
    """Any ally but the person leaves: their access ends at once; what they said,
    voted and signed stays theirs in the history."""
    _require(perms.can_leave(ally))
    with transaction.atomic():
        ally.status, ally.left_at = Ally.Status.LEFT, timezone.now()
        ally.save(update_fields=["status", "left_at"])
        record_by_ally(ally, Action.ALLY_LEFT, target=ally)
        _after_departure(ally, "ally_left")
    return ally


def write_recognition(
    *, ally: Ally, brings: str, expects: str, expected_revision: int | None = None
) -> Ally:
    """What I bring, what I expect: it also stands in the charter, so changing it
    after a signature opens a new charter version."""
    _require(perms.can_contribute(ally))
    ensure_open(ally.alliance)
    if not (brings.strip() or expects.strip()):
        raise ValidationError(_("Write what you bring or what you expect."))
    check_lengths(
        brings=(brings.strip(), Ally.RECOGNITION_MAX_LENGTH),
        expects=(expects.strip(), Ally.RECOGNITION_MAX_LENGTH),
    )
    with transaction.atomic():
        ally.recognition_brings, ally.recognition_expects = brings.strip(), expects.strip()
        ally.save(update_fields=["recognition_brings", "recognition_expects"])
        charter = _charter_for_edit(ally, current_charter(ally.alliance), expected_revision)
        CharterRecognition.objects.update_or_create(
            charter=charter,
            ally=ally,
            defaults={"brings": ally.recognition_brings, "expects": ally.recognition_expects},
        )
        record_by_ally(ally, Action.RECOGNITION_WRITTEN, target=ally)
    return ally


# ---------------------------------------------------------------- statements and votes


def _clean_statement(kind, text):
    from .models import StatementKind

    errors = {}
    if kind not in StatementKind.values:
        errors["kind"] = _("Choose what kind of statement it is.")
    if not text.strip():
        errors["text"] = _("Write your statement in your own words.")
    elif len(text) > 1000:
        errors["text"] = _("Keep it under 1,000 characters.")
    if errors:
        raise ValidationError(errors)


def _check_supporter(ally, supported_by):
    if supported_by is None:
        return
    if supported_by.alliance_id != ally.alliance_id or not perms.can_support_expression_of(
        supported_by, ally
    ):
        raise ValidationError({"supported_by": _("The supporter must be another ally.")})


def quote_of(*, alliance: Alliance, text: str) -> str:
    """The words as a report would quote them: every first name masked, the names of
    the alliance's allies (whoever they are, invited or gone) and those of the list."""
    allies = masking.names_of(
        alliance.allies.values_list("user__display_name", flat=True).order_by()
    )
    words = text.strip().replace("\r\n", "\n")
    return masking.mask(words, allies=allies, placeholder=_("[first name]"))


def _quote_text(ally, text, may_quote, confirmed_quote):
    """The words that may go up: only the masked words the author saw and confirmed.
    Masked again here, so that words confirmed on another version of the text (or
    typed into the confirmation) never go up."""
    if not may_quote or not confirmed_quote:
        return ""
    quote = quote_of(alliance=ally.alliance, text=text)
    return quote if confirmed_quote.replace("\r\n", "\n") == quote else ""


def write_statement(
    *,
    ally: Ally,
    kind: str,
    text: str,
    supported_by: Ally | None = None,
    may_quote: bool = False,
    confirmed_quote: str = "",
) -> Statement:
    """`confirmed_quote`: the masked words (`quote_of`) the author confirmed; with
    `may_quote` and no confirmation, the consent is kept and nothing goes up."""
    _require(perms.can_contribute(ally))
    ensure_open(ally.alliance)
    _clean_statement(kind, text)
    _check_supporter(ally, supported_by)
    with transaction.atomic():
        statement = Statement.objects.create(
            alliance=ally.alliance,
            author=ally,
            kind=kind,
            text=text.strip(),
            supported_by=supported_by,
            may_quote=bool(may_quote),
            quote_text=_quote_text(ally, text, may_quote, confirmed_quote),
        )
        record_by_ally(ally, Action.STATEMENT_WRITTEN, target=statement)
    return statement


def change_statement(
    *,
    ally: Ally,
    statement: Statement,
    kind: str,
    text: str,
    supported_by: Ally | None = None,
    may_quote: bool = False,
    confirmed_quote: str = "",
    expected_version: int,
) -> Statement:
    _require(perms.can_change_statement(ally, statement))
    ensure_open(ally.alliance)
    if statement.withdrawn_at:
        raise ValidationError(_("A withdrawn statement cannot be changed."))
    _clean_statement(kind, text)
    _check_supporter(ally, supported_by)
    with transaction.atomic():
        updated = Statement.objects.filter(pk=statement.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not updated:
            raise ConflictError()
        StatementRevision.objects.create(
            statement=statement,
            version=expected_version,
            kind=statement.kind,
            text=statement.text,
            supported_by=statement.supported_by,
            written_at=statement.updated_at,
        )
        statement.kind, statement.text, statement.supported_by = kind, text.strip(), supported_by
        statement.may_quote = bool(may_quote)
        statement.quote_text = _quote_text(ally, text, may_quote, confirmed_quote)
        statement.version = expected_version + 1
        statement.save(
            update_fields=["kind", "text", "supported_by", "may_quote", "quote_text", "updated_at"]
        )
        record_by_ally(ally, Action.STATEMENT_CHANGED, target=statement, version=statement.version)
    return statement


def withdraw_statement(*, ally: Ally, statement: Statement) -> Statement:
    _require(perms.can_change_statement(ally, statement))
    ensure_open(ally.alliance)
    if statement.withdrawn_at:
        raise ValidationError(_("This statement is already withdrawn."))
    with transaction.atomic():
        statement.withdrawn_at = timezone.now()
        statement.save(update_fields=["withdrawn_at"])
        record_by_ally(ally, Action.STATEMENT_WITHDRAWN, target=statement)
    return statement


def cast_vote(*, ally: Ally, statement: Statement, value: str) -> Vote:
    from .models import VoteValue

    if statement.alliance_id != ally.alliance_id:
        raise PermissionDenied
    if statement.author_id == ally.pk:
        raise ValidationError(_("You already agree with your own statement."))
    _require(perms.can_vote_on(ally, statement))
    ensure_open(ally.alliance)
    if value not in VoteValue.values:
        raise ValidationError({"value": _("Choose agree, disagree, not sure or pass.")})
    with transaction.atomic():
        vote, _created = Vote.objects.update_or_create(
            statement=statement, ally=ally, defaults={"value": value}
        )
        record_by_ally(ally, Action.VOTE_GIVEN, target=statement, value=value)
    return vote


# ---------------------------------------------------------------- asymmetry register


def add_asymmetry(
    *,
    ally: Ally,
    dimension: str,
    what_is_held: str,
    handling: str = "",
    holders=(),
    custom_dimension: str = "",
) -> AsymmetryEntry:
    _require(perms.can_contribute(ally))
    ensure_open(ally.alliance)
    errors = {}
    if dimension not in AsymmetryDimension.values:
        errors["dimension"] = _("Choose a dimension from the list.")
    elif dimension == AsymmetryDimension.CUSTOM and not custom_dimension.strip():
        errors["custom_dimension"] = _("Name the dimension.")
    if not what_is_held.strip():
        errors["what_is_held"] = _("Say who holds what.")
    if any(h.alliance_id != ally.alliance_id for h in holders):
        errors["holders"] = _("Choose allies of this alliance.")
    if errors:
        raise ValidationError(errors)
    check_lengths(
        what_is_held=(what_is_held.strip(), AsymmetryEntry.TEXT_MAX_LENGTH),
        handling=(handling.strip(), AsymmetryEntry.TEXT_MAX_LENGTH),
    )
    with transaction.atomic():
        entry = AsymmetryEntry.objects.create(
            alliance=ally.alliance,
            dimension=dimension,
            custom_dimension=custom_dimension.strip(),
            what_is_held=what_is_held.strip(),
            handling=handling.strip(),
            author=ally,
        )
        entry.holders.set(holders)
        record_by_ally(ally, Action.ASYMMETRY_ADDED, target=entry, dimension=dimension)
    return entry


# ---------------------------------------------------------------- charter


def current_charter(alliance: Alliance) -> Charter:
    """The version being worked on or signed, for a use case that edits it. Every
    alliance has one from its creation (migration 0011 opened it for older ones); the
    draft is still opened here for an alliance written without `create_alliance`."""
    charter = current_charter_or_none(alliance)
    if charter is None:
        charter, _created = Charter.objects.get_or_create(alliance=alliance, number=1)
    return charter


def _copy_version(charter: Charter) -> Charter:
    new = Charter.objects.create(
        alliance_id=charter.alliance_id,
        number=charter.number + 1,
        shared_understanding=charter.shared_understanding,
        revision=charter.revision,
    )
    for interest in charter.interests.all():
        CharterInterest.objects.create(
            charter=new,
            statement_id=interest.statement_id,
            text=interest.text,
            adopted_by_id=interest.adopted_by_id,
        )
    for row in charter.recognitions.all():
        CharterRecognition.objects.create(
            charter=new, ally_id=row.ally_id, brings=row.brings, expects=row.expects
        )
    for row in charter.commitments.all():
        Commitment.objects.create(
            charter=new, ally_id=row.ally_id, text=row.text, written_by_id=row.written_by_id
        )
    for row in charter.perimeter.all():
        PerimeterEntry.objects.create(
            charter=new, domain_code=row.domain_code, label=row.label, status=row.status
        )
    for indicator in charter.indicators.all():
        copy = Indicator.objects.create(
            charter=new,
            key=indicator.key,
            name=indicator.name,
            scale_min=indicator.scale_min,
            scale_max=indicator.scale_max,
        )
        copy.raters.set(indicator.raters.all())
    Charter.objects.filter(pk=charter.pk).update(status=Charter.Status.SUPERSEDED)
    return new


def _charter_for_edit(ally: Ally, charter: Charter, expected_revision: int | None) -> Charter:
    """Locks the charter for a change: refuses a save based on an older revision, and
    opens a new version when someone has already signed this one."""
    _require(perms.can_contribute(ally) and charter.alliance_id == ally.alliance_id)
    ensure_open(ally.alliance)
    locked = Charter.objects.select_for_update().get(pk=charter.pk)
    if locked.status == Charter.Status.SUPERSEDED:
        raise ConflictError(
            _(
                "This version of the charter has been replaced. "
                "Your text is kept below: add it to the new version."
            )
        )
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConflictError()
    if locked.signatures.exists():
        locked = _copy_version(locked)
        record_by_ally(ally, Action.CHARTER_VERSION_OPENED, target=locked, number=locked.number)
    locked.revision += 1
    locked.status = Charter.Status.DRAFT
    locked.save(update_fields=["revision", "status"])
    return locked


def adopt_interest(
    *, ally: Ally, charter: Charter, statement: Statement, expected_revision: int
) -> CharterInterest:
    """A common interest is adopted on purpose, and only from the common ground."""
    from alliance.consensus.common_ground import Standing

    if statement.alliance_id != ally.alliance_id or statement.withdrawn_at:
        raise ValidationError(_("This statement cannot be adopted."))
    if (
        statement_standings(ally.alliance, [statement])[statement.pk].standing
        != Standing.COMMON_GROUND
    ):
        raise ValidationError(_("Only a statement of the common ground can be adopted."))
    with transaction.atomic():
        charter = _charter_for_edit(ally, charter, expected_revision)
        if charter.interests.filter(statement=statement).exists():
            raise ValidationError(_("This common interest is already adopted."))
        interest = CharterInterest.objects.create(
            charter=charter, statement=statement, text=statement.text, adopted_by=ally
        )
        record_by_ally(ally, Action.CHARTER_CHANGED, target=charter, section="interests")
    return interest


def remove_interest(
    *, ally: Ally, charter: Charter, interest_id: int, expected_revision: int
) -> Charter:
    with transaction.atomic():
        original = charter.interests.filter(pk=interest_id).first()
        if original is None:
            raise ValidationError(_("This common interest is no longer in the charter."))
        charter = _charter_for_edit(ally, charter, expected_revision)
        charter.interests.filter(statement_id=original.statement_id).delete()
        record_by_ally(ally, Action.CHARTER_CHANGED, target=charter, section="interests")
    return charter


def add_commitment(
    *, ally: Ally, charter: Charter, text: str, expected_revision: int, for_ally: Ally | None = None
) -> Commitment:
    """Each ally commits for themselves; a legal representative may write the
    commitment of a minor or protected adult, shown as such."""
    for_ally = for_ally or ally
    _require(perms.can_sign_for(ally, for_ally, ally.alliance))
    if not text.strip():
        raise ValidationError({"text": _("Write what you commit to.")})
    with transaction.atomic():
        charter = _charter_for_edit(ally, charter, expected_revision)
        commitment = Commitment.objects.create(
            charter=charter,
            ally=for_ally,
            text=text.strip(),
            written_by=ally if for_ally.pk != ally.pk else None,
        )
        record_by_ally(ally, Action.CHARTER_CHANGED, target=charter, section="commitments")
    return commitment


def remove_commitment(
    *, ally: Ally, charter: Charter, commitment_id: int, expected_revision: int
) -> Charter:
    with transaction.atomic():
        original = charter.commitments.filter(pk=commitment_id).first()
        if original is None:
            raise ValidationError(_("This commitment is no longer in the charter."))
        _require(ally.pk in (original.ally_id, original.written_by_id))
        charter = _charter_for_edit(ally, charter, expected_revision)
        charter.commitments.filter(ally_id=original.ally_id, text=original.text).first().delete()
        record_by_ally(ally, Action.CHARTER_CHANGED, target=charter, section="commitments")
    return charter


def set_perimeter(
    *,
    ally: Ally,
    charter: Charter,
    label: str,
    status: str,
    domain_code: str = "",
    expected_revision: int,
) -> PerimeterEntry:
    from .models import PerimeterStatus
    from .needs import label_of

    # A need of the nomenclature is named by the nomenclature, never by the words of
    # the list it was picked from (which indent it).
    label = label_of(domain_code) or label if domain_code else label
    errors = {}
    if not label.strip():
        errors["label"] = _("Name the life domain.")
    if status not in PerimeterStatus.values:
        errors["status"] = _("Say where this domain stands.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        charter = _charter_for_edit(ally, charter, expected_revision)
        entry, _created = PerimeterEntry.objects.update_or_create(
            charter=charter,
            label=label.strip(),
            defaults={"status": status, "domain_code": domain_code},
        )
        record_by_ally(ally, Action.CHARTER_CHANGED, target=charter, section="perimeter")
    return entry


def add_indicator(
    *,
    ally: Ally,
    charter: Charter,
    name: str,
    scale_min: int,
    scale_max: int,
    raters,
    expected_revision: int,
) -> Indicator:
    errors = {}
    if not name.strip():
        errors["name"] = _("Name the indicator.")
    if scale_max is None or scale_min is None or scale_max <= scale_min:
        errors["scale_max"] = _("The highest value must be above the lowest.")
    if not raters:
        errors["raters"] = _("Choose at least one ally who rates it.")
    elif any(r.alliance_id != ally.alliance_id for r in raters):
        errors["raters"] = _("Choose allies of this alliance.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        charter = _charter_for_edit(ally, charter, expected_revision)
        indicator = Indicator.objects.create(
            charter=charter, name=name.strip(), scale_min=scale_min, scale_max=scale_max
        )
        indicator.raters.set(raters)
        record_by_ally(ally, Action.CHARTER_CHANGED, target=charter, section="indicators")
    return indicator


def write_shared_understanding(
    *, ally: Ally, charter: Charter, text: str, expected_revision: int
) -> Charter:
    """Every save is kept with its author and time (the history under the text). A
    save based on an older revision of the charter is refused (ConflictError): the
    page then shows the other person's words beside the refused ones."""
    check_lengths(text=(text.strip(), Charter.UNDERSTANDING_MAX_LENGTH))
    with transaction.atomic():
        charter = _charter_for_edit(ally, charter, expected_revision)
        charter.shared_understanding = text.strip()
        charter.save(update_fields=["shared_understanding"])
        UnderstandingRevision.objects.create(
            alliance_id=charter.alliance_id,
            charter=charter,
            text=charter.shared_understanding,
            author=ally,
        )
        record_by_ally(ally, Action.CHARTER_CHANGED, target=charter, section="shared_understanding")
    return charter


def signing_blockers(charter: Charter, allies) -> list[str]:
    """What still prevents signing, in plain words (empty when it can be signed)."""
    blockers = []
    if not charter.interests.exists():
        blockers.append(_("Adopt at least one common interest."))
    # .all(): the charter page has its commitments prefetched already
    committed = {c.ally_id for c in charter.commitments.all()}
    for ally in allies:
        if ally.is_active and ally.pk not in committed:
            blockers.append(
                _("%(name)s has not written a commitment yet.") % {"name": ally.user.display_name}
            )
    return blockers


def sign_charter(
    *, ally: Ally, charter: Charter, expected_revision: int, signee: Ally | None = None
) -> Signature:
    signee = signee or ally
    _require(
        perms.can_sign_for(ally, signee, ally.alliance) and charter.alliance_id == ally.alliance_id
    )
    ensure_open(ally.alliance)
    with transaction.atomic():
        locked = Charter.objects.select_for_update().get(pk=charter.pk)
        if locked.status == Charter.Status.SUPERSEDED or locked.revision != expected_revision:
            raise ConflictError(
                _("The charter changed since you opened it. Read the new version before you sign.")
            )
        active = list(ally.alliance.allies.filter(status=Ally.Status.ACTIVE).select_related("user"))
        blockers = signing_blockers(locked, active)
        if blockers:
            raise ValidationError(blockers)
        if locked.signatures.filter(ally=signee).exists():
            raise ValidationError(_("This signature is already given."))
        signature = Signature.objects.create(charter=locked, ally=signee, signed_by=ally)
        signed = set(locked.signatures.values_list("ally_id", flat=True))
        if all(a.pk in signed for a in active):
            locked.status, locked.signed_at = Charter.Status.SIGNED, timezone.now()
        else:
            locked.status = Charter.Status.SIGNING
        locked.save(update_fields=["status", "signed_at"])
        record_by_ally(
            ally, Action.CHARTER_SIGNED, target=locked, number=locked.number, for_ally=signee.pk
        )
        settle([signee.user], f"charter_to_sign:{locked.pk}")
        if locked.status == Charter.Status.SIGNING:
            notify(
                [a.user for a in active if a.pk not in signed],
                "charter_to_sign",
                url=reverse("alliances:charter", args=[locked.alliance_id]),
                alliance_id=locked.alliance_id,
                key=f"charter_to_sign:{locked.pk}",
                alliance=ally.alliance.title,
            )
    return signature


def open_charter_version(*, ally: Ally, expected_revision: int) -> Charter:
    """The allies reopen their signed charter, e.g. after a review: a new version
    to change and sign again, the signed one kept."""
    with transaction.atomic():
        charter = current_charter(ally.alliance)
        if not charter.signatures.exists():
            raise ValidationError(
                _("A new version of the charter is already open: change it on the charter page.")
            )
        return _charter_for_edit(ally, charter, expected_revision)


# ---------------------------------------------------------------- position check


def record_position_check(
    *, ally: Ally, chooses_path: str, sets_pace: str, walks_ahead: str
) -> PositionCheck:
    _require(perms.can_contribute(ally))
    ensure_open(ally.alliance)
    answers = {"chooses_path": chooses_path, "sets_pace": sets_pace, "walks_ahead": walks_ahead}
    missing = {
        k: _("Choose an answer.")
        for k, v in answers.items()
        if v not in PositionCheck.Answer.values
    }
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        check = PositionCheck.objects.create(
            alliance=ally.alliance,
            ally=ally,
            image=position_image(answered_by_person=ally.role == Role.PERSON, **answers),
            **answers,
        )
        record_by_ally(ally, Action.POSITION_CHECKED, target=check, image=check.image)
    return check


# ---------------------------------------------------------------- activation and lost access


def hand_over_activation_letter(*, by: Ally, ally: Ally) -> str:
    """The first activation letter of `ally`'s account, for `by` to print and hand
    over in person (perms.can_hand_over_letter says who). Returns the code; only its
    hash is kept."""
    _require(perms.can_hand_over_letter(by, ally, by.alliance))
    return activation.make_letter(user=ally.user, issued_by=by.user)


def text_activation_code(*, by: Ally, ally: Ally, phone: str) -> str:
    """The same first code, sent by text message to the number `by` types (the
    person's own phone) instead of on paper. The worker makes the code when the
    message leaves (ADR 0015): `by` never sees it, and a failed gateway is retried.
    Returns the number it goes to."""
    from alliance.notifications.models import OutgoingMessage
    from alliance.notifications.outbox import send_later

    _require(perms.can_hand_over_letter(by, ally, by.alliance))
    try:
        number = phones.normalise_mobile(phone)
    except phones.InvalidPhone as error:
        raise ValidationError(
            {"phone": _("Type a French mobile number, for example 06 12 34 56 78.")}
        ) from error
    send_later(
        kind="activation_code",
        channel=OutgoingMessage.Channel.SMS,
        params={"user_id": ally.user_id, "issued_by_id": by.user_id, "phone": number},
    )
    return number


def _reissue(reissue: AccessReissue, *, completed_by: Ally) -> str:
    """Ends every way in of the account, makes the new letter for `completed_by`,
    and tells everyone."""
    alliance, user = reissue.alliance, reissue.ally.user
    now = timezone.now()
    reissue.status, reissue.completed_at = AccessReissue.Status.DONE, now
    if completed_by.pk != reissue.requested_by_id:
        reissue.approved_by = completed_by
    reissue.save(update_fields=["status", "completed_at", "approved_by"])
    # A password the owner lost may be known to someone else: it goes too.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    accounts.end_sessions(user=user)
    activation.revoke_every_device(user)
    code = activation.make_letter(user=user, issued_by=completed_by.user)
    record_account_event(
        completed_by.user,
        Action.ACCESS_REISSUED,
        account=user,
        detail={
            "requested_by": reissue.requested_by.user.display_name,
            "approved_by": completed_by.user.display_name,
        },
    )
    everyone = alliance.allies.filter(status=Ally.Status.ACTIVE).exclude(pk=reissue.ally_id)
    notify(
        [a.user for a in everyone.select_related("user")],
        "access_reissued",
        url=reverse("alliances:overview", args=[alliance.pk]),
        alliance_id=alliance.pk,
        alliance=alliance.title,
        name=user.display_name,
        requested_by=reissue.requested_by.user.display_name,
        by=completed_by.user.display_name,
    )
    notify(
        [user],
        "your_access_reissued",
        url=reverse("accounts:sessions"),
        alliance_id=alliance.pk,
        by=completed_by.user.display_name,
    )
    settle([a.user for a in everyone], f"access_reissue:{reissue.pk}")
    return code


def request_access_reissue(*, by: Ally, ally: Ally) -> tuple[AccessReissue, str | None]:
    """An ally asks for a new letter for `ally`, who lost their way in. The person's
    approved legal representative does it alone: the letter is made at once and its
    code returned. Anyone else waits for a second ally who is not their colleague
    (perms.can_approve_reissue): the code is then None."""
    _require(perms.can_request_reissue(by, ally))
    with transaction.atomic():
        if AccessReissue.objects.filter(ally=ally, status=AccessReissue.Status.PENDING).exists():
            raise ValidationError(
                _("A new access is already asked for %(name)s: a second ally must agree.")
                % {"name": ally.user.display_name}
            )
        reissue = AccessReissue.objects.create(alliance=by.alliance, ally=ally, requested_by=by)
        record_account_event(by.user, Action.ACCESS_REISSUE_REQUESTED, account=ally.user)
        if perms.reissues_alone(by, ally):
            return reissue, _reissue(reissue, completed_by=by)
        approvers = [
            a
            for a in by.alliance.allies.filter(status=Ally.Status.ACTIVE).select_related("user")
            if perms.can_approve_reissue(a, reissue)
        ]
        notify(
            [a.user for a in approvers],
            "access_reissue_requested",
            url=reverse("alliances:reissue", args=[by.alliance_id, ally.pk]),
            alliance_id=by.alliance_id,
            key=f"access_reissue:{reissue.pk}",
            alliance=by.alliance.title,
            name=ally.user.display_name,
            by=by.user.display_name,
        )
    return reissue, None


def approve_access_reissue(*, by: Ally, reissue: AccessReissue) -> str:
    """The second ally agrees: the access is re-issued and the letter is theirs to
    hand over in person. Returns its code."""
    with transaction.atomic():
        reissue = (
            AccessReissue.objects.select_for_update()
            .select_related("alliance", "ally__user", "requested_by__user")
            .get(pk=reissue.pk)
        )
        _require(perms.can_approve_reissue(by, reissue))
        return _reissue(reissue, completed_by=by)
