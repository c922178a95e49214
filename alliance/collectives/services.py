"""Use cases of movement 3. Each write is one function: keyword-only arguments,
atomic, checks the permission, writes the audit entry, returns the object. The
views and the demo loader call these same functions."""

from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.accounts import services as accounts
from alliance.accounts.invitations import (
    create_invited_account,
    email_link,
    new_token,
    unusable_message,
)
from alliance.accounts.invitations import expiry as invitation_expiry
from alliance.accounts.models import User, hash_secret
from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.conflicts import ConflictError
from alliance.limits import check_lengths
from alliance.notifications.services import notify, settle

from . import perms, results
from .models import (
    Collective,
    CollectiveMember,
    Consultation,
    ConsultationStatement,
    ConsultationVote,
    MemberInvitation,
    MemberRole,
    MemberStanding,
)

QUESTION_MAX_LENGTH = 300


# The consultation's own words for a conflict: the user changed no text, only its status.
CONSULTATION_CHANGED = gettext_lazy(
    "Another facilitator changed this consultation a moment ago. "
    "Look at its current state and try again."
)


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _record(user, action, collective, *, target=None, **detail):
    """Collective actions are filed under the hosting organisation, with the collective
    named in the detail, since the trail's alliance column does not apply."""
    return record(
        user,
        action,
        organisation_id=collective.organisation_id,
        target=target,
        detail={"collective": collective.pk, **detail},
    )


def _same_collective(member, collective_id):
    _require(member is not None and member.collective_id == collective_id)


# ---------------------------------------------------------------- collective and members


def create_collective(
    *,
    creator: User,
    name: str,
    description: str = "",
    kind: str = Collective.Kind.OTHER,
    territory: str = "",
    standing: str | None = None,
) -> Collective:
    """The creator becomes its first facilitator."""
    _require(perms.can_create_collective(creator))
    if not name.strip():
        raise ValidationError({"name": _("Give the collective a name.")})
    if kind not in Collective.Kind.values:
        raise ValidationError({"kind": _("Choose a kind from the list.")})
    check_lengths(description=(description.strip(), Collective.DESCRIPTION_MAX_LENGTH))
    standing = standing or (
        MemberStanding.PROFESSIONAL if creator.is_professional else MemberStanding.PERSON
    )
    if standing not in MemberStanding.values:
        raise ValidationError({"standing": _("Choose from the list how you take part.")})
    with transaction.atomic():
        collective = Collective.objects.create(
            name=name.strip(),
            description=description.strip(),
            kind=kind,
            territory=territory.strip(),
            organisation=creator.organisation if creator.is_professional else None,
            created_by=creator,
        )
        CollectiveMember.objects.create(
            collective=collective,
            user=creator,
            role=MemberRole.FACILITATOR,
            standing=standing,
        )
        _record(creator, Action.COLLECTIVE_CREATED, collective, target=collective)
    return collective


def _admit(collective: Collective, user: User, standing: str) -> CollectiveMember:
    member = collective.members.filter(user=user).first()
    if member is not None and member.status == CollectiveMember.Status.ACTIVE:
        raise ValidationError({"email": _("This person is already a member.")})
    if member is None:
        return CollectiveMember.objects.create(collective=collective, user=user, standing=standing)
    # Someone who left comes back as a plain member.
    member.status = CollectiveMember.Status.ACTIVE
    member.role = MemberRole.MEMBER
    member.standing = standing
    member.save(update_fields=["status", "role", "standing"])
    return member


def add_member(
    *,
    by: CollectiveMember,
    display_name: str = "",
    email: str = "",
    standing: str = MemberStanding.OTHER,
    user: User | None = None,
) -> "CollectiveMember | MemberInvitation":
    """A facilitator adds a member. With an email: a pending invitation that the
    owner of the address answers, the same whether or not an account uses it (ADR
    0012). Without: someone who already has an account, handed over as `user` by a
    caller that holds it, or a new account without email that nobody has used yet."""
    _require(perms.can_facilitate(by))
    if standing not in MemberStanding.values:
        raise ValidationError({"standing": _("Choose from the list how they take part.")})
    email = email.strip()
    if user is None and not display_name.strip():
        raise ValidationError({"display_name": _("Write the name of the person you add.")})
    if user is not None and user.is_decision_maker:
        raise ValidationError({"email": _("A decision maker cannot be a member of a collective.")})
    collective = by.collective
    with transaction.atomic():
        if user is None and email:
            return _invite_member(by=by, display_name=display_name, email=email, standing=standing)
        if user is None:
            user = User.objects.create_user(
                email=None, display_name=display_name.strip(), kind=User.Kind.INDIVIDUAL
            )
        member = _admit(collective, user, standing)
        _record(by.user, Action.COLLECTIVE_MEMBER_ADDED, collective, target=member)
    return member


def invitations_left_today(user: User) -> int:
    """How many more invitations to collectives `user` may send in the next moment:
    the same budget for one invitation and for a file (ADR 0040)."""
    since = timezone.now() - timedelta(days=1)
    sent = MemberInvitation.objects.filter(invited_by__user=user, created_at__gt=since).count()
    return max(0, settings.ALLIANCE_MEMBER_INVITATIONS_PER_DAY - sent)


def invitation_quota_message():
    return _(
        "You have sent %(limit)d invitations in the last 24 hours, the most one account "
        "may send. Try again tomorrow."
    ) % {"limit": settings.ALLIANCE_MEMBER_INVITATIONS_PER_DAY}


def _invite_member(*, by, display_name, email, standing) -> MemberInvitation:
    """The one way an invitation to a collective is made, alone or from a file: the
    link goes by email to the invited address only; an existing account is told in
    the product and joins only if its owner accepts."""
    collective = by.collective
    if invitations_left_today(by.user) < 1:
        raise ValidationError({"email": invitation_quota_message()})
    pending = collective.invitations.filter(
        status=MemberInvitation.Status.PENDING, expires_at__gt=timezone.now()
    )
    if (
        pending.filter(email__iexact=email).exists()
        or collective.members.filter(
            user__email__iexact=email, status=CollectiveMember.Status.ACTIVE
        ).exists()
    ):
        raise ValidationError(
            {"email": _("This address is already a member of the collective or invited to it.")}
        )
    _token, token_hash = new_token()  # the worker makes the link (ADR 0015)
    invitation = MemberInvitation.objects.create(
        collective=collective,
        standing=standing,
        display_name=display_name.strip(),
        email=email,
        invited_by=by,
        token_hash=token_hash,
        expires_at=invitation_expiry(),
    )
    _record(by.user, Action.MEMBER_INVITATION_SENT, collective, target=invitation)
    owner = accounts.find_user_by_email(email)
    if owner is None:
        email_link(
            invitation=invitation,
            subject=_("You are invited to a collective"),
            body=_(
                '%(inviter)s invites you to the collective "%(name)s" on Alliance. '
                "Open this link to answer; it works once:"
            )
            % {"inviter": by.user.display_name, "name": collective.name},
        )
    elif not owner.is_decision_maker:
        notify(
            [owner],
            "member_invitation",
            url=reverse("home"),
            key=f"member_invitation:{invitation.pk}",
            inviter=by.user.display_name,
            collective=collective.name,
        )
    return invitation


def _locked_open_invitation(invitation_id) -> MemberInvitation:
    invitation = (
        MemberInvitation.objects.select_for_update()
        .select_related("collective")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open():
        raise ValidationError(unusable_message())
    return invitation


def _join_from_invitation(invitation: MemberInvitation, user: User) -> CollectiveMember:
    if user.is_decision_maker:
        raise ValidationError(_("A decision maker cannot be a member of a collective."))
    collective = invitation.collective
    try:
        member = _admit(collective, user, invitation.standing)
    except ValidationError:
        raise ValidationError(_("You are already a member of this collective.")) from None
    invitation.status = MemberInvitation.Status.ACCEPTED
    invitation.answered_at, invitation.answered_by = timezone.now(), user
    invitation.member = member
    invitation.save(update_fields=["status", "answered_at", "answered_by", "member"])
    _record(user, Action.MEMBER_INVITATION_ACCEPTED, collective, target=invitation)
    settle([user], f"member_invitation:{invitation.pk}")
    return member


def answer_member_invitation(*, user: User, invitation: MemberInvitation, accept: bool):
    """The owner of the invited address joins or declines, from their own session.
    Returns the member, or the declined invitation."""
    _require(perms.can_answer_invitation(user, invitation))
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation.pk)
        if accept:
            return _join_from_invitation(invitation, user)
        invitation.status = MemberInvitation.Status.DECLINED
        invitation.answered_at, invitation.answered_by = timezone.now(), user
        invitation.save(update_fields=["status", "answered_at", "answered_by"])
        _record(user, Action.MEMBER_INVITATION_DECLINED, invitation.collective, target=invitation)
        settle([user], f"member_invitation:{invitation.pk}")
    return invitation


def invitation_for_token(token: str) -> MemberInvitation | None:
    return (
        MemberInvitation.objects.select_related("collective", "invited_by__user")
        .filter(token_hash=hash_secret(token))
        .first()
    )


def accept_member_invitation_with_new_account(
    *, token: str, display_name: str, password: str
) -> CollectiveMember:
    """The owner of an address without an account creates their own from the link
    they received, and joins. If an account uses the address by now, nothing is
    created: its owner signs in and answers."""
    found = invitation_for_token(token)
    if found is None:
        raise ValidationError(unusable_message())
    with transaction.atomic():
        invitation = _locked_open_invitation(found.pk)
        user = create_invited_account(
            email=invitation.email,
            display_name=display_name,
            password=password,
            kind=User.Kind.INDIVIDUAL,
        )
        return _join_from_invitation(invitation, user)


def withdraw_member_invitation(
    *, by: CollectiveMember, invitation: MemberInvitation
) -> MemberInvitation:
    """A facilitator, or the inviter, withdraws a pending invitation."""
    _require(perms.can_withdraw_invitation(by, invitation))
    with transaction.atomic():
        invitation = MemberInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != MemberInvitation.Status.PENDING:
            raise ValidationError(_("This invitation has already been answered."))
        invitation.status = MemberInvitation.Status.WITHDRAWN
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        _record(by.user, Action.MEMBER_INVITATION_WITHDRAWN, by.collective, target=invitation)
        owner = accounts.find_user_by_email(invitation.email)
        if owner is not None:
            settle([owner], f"member_invitation:{invitation.pk}")
    return invitation


def make_facilitator(*, by: CollectiveMember, member: CollectiveMember) -> CollectiveMember:
    _require(perms.can_make_facilitator(by, member))
    with transaction.atomic():
        member.role = MemberRole.FACILITATOR
        member.save(update_fields=["role"])
        _record(by.user, Action.FACILITATOR_NAMED, by.collective, target=member)
    return member


def leave_collective(*, member: CollectiveMember) -> CollectiveMember:
    """Anyone may leave; the last facilitator first hands the role to someone, so that
    the members are never left without anyone to run consultations."""
    _require(perms.is_member(member))
    with transaction.atomic():
        others = CollectiveMember.objects.select_for_update().filter(
            collective_id=member.collective_id, status=CollectiveMember.Status.ACTIVE
        )
        others = list(others.exclude(pk=member.pk))
        if member.is_facilitator and others and not any(o.is_facilitator for o in others):
            raise ValidationError(
                _("You are the only facilitator: name another facilitator before you leave.")
            )
        member.status = CollectiveMember.Status.LEFT
        member.role = MemberRole.MEMBER
        member.save(update_fields=["status", "role"])
        _record(member.user, Action.COLLECTIVE_LEFT, member.collective, target=member)
    return member


# ---------------------------------------------------------------- consultations


def _clean_statement_text(text, easy_read, *, field="text"):
    text, easy_read = (text or "").strip(), (easy_read or "").strip()
    limit = ConsultationStatement.MAX_LENGTH
    if not text:
        raise ValidationError({field: _("Write the statement.")})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep the statement under %(limit)d characters (it has %(length)d).")
                % {"limit": limit, "length": len(text)}
            }
        )
    if len(easy_read) > limit:
        raise ValidationError(
            {
                "easy_read": _(
                    "Keep the easy-read wording under %(limit)d characters (it has %(length)d)."
                )
                % {"limit": limit, "length": len(easy_read)}
            }
        )
    return text, easy_read


def create_consultation(
    *,
    by: CollectiveMember,
    question: str,
    easy_read_question: str = "",
    seed_statements: list = (),
) -> Consultation:
    """A facilitator prepares a consultation (a draft) with its first statements. A
    seed is its text, or a pair (text, easy-read wording) when the facilitator writes
    the easy-read version that members reading easily will see."""
    _require(perms.can_facilitate(by))
    question, easy_read_question = question.strip(), easy_read_question.strip()
    if not question:
        raise ValidationError({"question": _("Write the question you put to the collective.")})
    for field, value in (("question", question), ("easy_read_question", easy_read_question)):
        if len(value) > QUESTION_MAX_LENGTH:
            raise ValidationError(
                {
                    field: _("Keep the question under %(limit)d characters.")
                    % {"limit": QUESTION_MAX_LENGTH}
                }
            )
    seeds = []
    for line in seed_statements:
        text, easy_read = (line, "") if isinstance(line, str) else line
        if text.strip():
            seeds.append(_clean_statement_text(text, easy_read, field="seed_statements"))
    if len({text.casefold() for text, _easy in seeds}) != len(seeds):
        raise ValidationError({"seed_statements": _("Each statement appears only once.")})
    with transaction.atomic():
        consultation = Consultation.objects.create(
            collective=by.collective,
            question=question,
            easy_read_question=easy_read_question,
            created_by=by.user,
        )
        now = timezone.now()
        ConsultationStatement.objects.bulk_create(
            ConsultationStatement(
                consultation=consultation,
                text=text,
                easy_read=easy_read,
                author=by.user,
                is_seed=True,
                status=ConsultationStatement.Status.ACCEPTED,
                moderated_by=by.user,
                moderated_at=now,
            )
            for text, easy_read in seeds
        )
        _record(
            by.user,
            Action.CONSULTATION_CREATED,
            by.collective,
            target=consultation,
            seeds=len(seeds),
        )
    return consultation


def _move(by, consultation, expected_version, *, from_status, to_status, stamp, action):
    _require(perms.can_facilitate(by))
    _same_collective(by, consultation.collective_id)
    with transaction.atomic():
        current = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if current.version != expected_version:
            raise ConflictError(CONSULTATION_CHANGED)
        if current.status != from_status:
            raise ValidationError(
                _("This consultation is %(status)s: it cannot move that way.")
                % {"status": current.get_status_display().lower()}
            )
        if (
            to_status == Consultation.Status.OPEN
            and not current.statements.filter(status=ConsultationStatement.Status.ACCEPTED).exists()
        ):
            raise ValidationError(
                _(
                    "Add at least one statement before opening, "
                    "so that members have something to vote on."
                )
            )
        current.status = to_status
        setattr(current, stamp, timezone.now())
        current.version += 1
        current.save(update_fields=["status", stamp, "version"])
        _record(by.user, action, by.collective, target=current)
    return current


def open_consultation(
    *, by: CollectiveMember, consultation: Consultation, expected_version: int
) -> Consultation:
    return _move(
        by,
        consultation,
        expected_version,
        from_status=Consultation.Status.DRAFT,
        to_status=Consultation.Status.OPEN,
        stamp="opened_at",
        action=Action.CONSULTATION_OPENED,
    )


def close_consultation(
    *, by: CollectiveMember, consultation: Consultation, expected_version: int
) -> Consultation:
    return _move(
        by,
        consultation,
        expected_version,
        from_status=Consultation.Status.OPEN,
        to_status=Consultation.Status.CLOSED,
        stamp="closed_at",
        action=Action.CONSULTATION_CLOSED,
    )


def write_statement(
    *, member: CollectiveMember, consultation: Consultation, text: str, easy_read: str = ""
) -> ConsultationStatement:
    """A member's statement waits for a facilitator; a facilitator's own is accepted at
    once (a seed while the consultation is a draft)."""
    _require(perms.is_member(member))
    _same_collective(member, consultation.collective_id)
    if consultation.status == Consultation.Status.CLOSED:
        raise ValidationError(_("This consultation is closed: it no longer takes statements."))
    _require(perms.can_write_statement(member, consultation))
    text, easy_read = _clean_statement_text(text, easy_read)
    with transaction.atomic():
        if (
            consultation.statements.filter(text__iexact=text)
            .exclude(status=ConsultationStatement.Status.WITHDRAWN)
            .exists()
        ):
            raise ValidationError({"text": _("This statement is already in the consultation.")})
        by_facilitator = member.is_facilitator
        statement = ConsultationStatement.objects.create(
            consultation=consultation,
            text=text,
            easy_read=easy_read,
            author=member.user,
            is_seed=consultation.status == Consultation.Status.DRAFT,
            status=(
                ConsultationStatement.Status.ACCEPTED
                if by_facilitator
                else ConsultationStatement.Status.PENDING
            ),
            moderated_by=member.user if by_facilitator else None,
            moderated_at=timezone.now() if by_facilitator else None,
        )
        _record(
            member.user,
            Action.CONSULTATION_STATEMENT_WRITTEN,
            member.collective,
            target=statement,
            consultation=consultation.pk,
        )
    return statement


def moderate_statement(
    *,
    by: CollectiveMember,
    statement: ConsultationStatement,
    accept: bool,
    reason: str = "",
    easy_read: str = "",
) -> ConsultationStatement:
    """Accept a waiting statement, or refuse it with a reason its author will read.
    When accepting, the facilitator may write its easy-read wording (members reading
    easily see it); left empty, the author's own, if any, stays."""
    _require(perms.can_facilitate(by))
    consultation = statement.consultation
    _same_collective(by, consultation.collective_id)
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(
            {"reason": _("Say why the statement is not accepted: its author will read it.")}
        )
    check_lengths(reason=(reason, ConsultationStatement.REASON_MAX_LENGTH))
    easy_read = _clean_statement_text(statement.text, easy_read)[1] if accept else ""
    with transaction.atomic():
        current = ConsultationStatement.objects.select_for_update().get(pk=statement.pk)
        if current.status != ConsultationStatement.Status.PENDING:
            raise ValidationError(
                _("This statement is no longer waiting: it is %(status)s.")
                % {"status": current.get_status_display().lower()}
            )
        current.status = (
            ConsultationStatement.Status.ACCEPTED
            if accept
            else ConsultationStatement.Status.REJECTED
        )
        current.rejection_reason = "" if accept else reason
        current.easy_read = easy_read or current.easy_read
        current.moderated_by = by.user
        current.moderated_at = timezone.now()
        current.save(
            update_fields=[
                "status",
                "rejection_reason",
                "easy_read",
                "moderated_by",
                "moderated_at",
            ]
        )
        _record(
            by.user,
            Action.CONSULTATION_STATEMENT_ACCEPTED
            if accept
            else Action.CONSULTATION_STATEMENT_REJECTED,
            by.collective,
            target=current,
            consultation=consultation.pk,
            **({"easy_read_written": True} if easy_read else {}),
        )
    return current


def withdraw_statement(
    *, member: CollectiveMember, statement: ConsultationStatement
) -> ConsultationStatement:
    """The author takes their words back; votes already given stop counting."""
    _require(perms.is_member(member) and statement.author_id == member.user_id)
    _same_collective(member, statement.consultation.collective_id)
    with transaction.atomic():
        current = ConsultationStatement.objects.select_for_update().get(pk=statement.pk)
        if not perms.can_withdraw_statement(member, current):
            raise ValidationError(
                _("This statement is %(status)s: there is nothing to withdraw.")
                % {"status": current.get_status_display().lower()}
            )
        current.status = ConsultationStatement.Status.WITHDRAWN
        current.save(update_fields=["status"])
        _record(
            member.user,
            Action.CONSULTATION_STATEMENT_WITHDRAWN,
            member.collective,
            target=current,
            consultation=current.consultation_id,
        )
    return current


# ---------------------------------------------------------------- votes


def cast_votes(
    *, member: CollectiveMember, consultation: Consultation, values: Mapping[int, int]
) -> int:
    """Records one member's votes (statement id -> +1, -1 or 0); a vote given again
    replaces the previous one. All are refused if one is not allowed. The trail says
    that the member voted, never how."""
    _require(perms.can_vote(member))
    _same_collective(member, consultation.collective_id)
    if consultation.status != Consultation.Status.OPEN:
        raise ValidationError(
            _("This consultation is closed: votes are no longer taken.")
            if consultation.status == Consultation.Status.CLOSED
            else _("This consultation is not open yet.")
        )
    if not values:
        raise ValidationError(_("Choose agree, disagree or pass."))
    if any(v not in ConsultationVote.Value.values for v in values.values()):
        raise ValidationError(_("Choose agree, disagree or pass."))
    with transaction.atomic():
        statuses = dict(
            consultation.statements.filter(pk__in=list(values)).values_list("pk", "status")
        )
        if len(statuses) != len(values):
            raise ValidationError(_("This statement is not part of the consultation."))
        if any(s != ConsultationStatement.Status.ACCEPTED for s in statuses.values()):
            raise ValidationError(
                _(
                    "This statement is not open to votes: it is waiting for moderation, "
                    "was not accepted, or was withdrawn by its author."
                )
            )
        ConsultationVote.objects.bulk_create(
            [
                ConsultationVote(
                    consultation=consultation,
                    statement_id=sid,
                    participant=member.user,
                    value=value,
                )
                for sid, value in values.items()
            ],
            update_conflicts=True,
            unique_fields=["statement", "participant"],
            update_fields=["value", "updated_at"],
        )
        _record(
            member.user,
            Action.CONSULTATION_VOTED,
            member.collective,
            target=consultation,
            votes=len(values),
        )
        results.request_recomputation(consultation)
    return len(values)


def cast_vote(*, member: CollectiveMember, statement: ConsultationStatement, value: int) -> int:
    return cast_votes(
        member=member, consultation=statement.consultation, values={statement.pk: value}
    )
