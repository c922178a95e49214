"""Who may do what in an alliance: every rule is a small named predicate taking the
acting ally (None for someone outside the alliance). Views and services ask here,
and nowhere else."""

from .models import Alliance, Ally, Role


def can_see_roster(ally: Ally | None) -> bool:
    """Anyone invited or waiting for approval sees who is in the alliance."""
    return ally is not None and not ally.is_gone


def can_see_content(ally: Ally | None) -> bool:
    """Only allies in the alliance see its statements, votes, charter and trail."""
    return ally is not None and ally.is_active


def can_invite(ally: Ally | None, alliance: Alliance) -> bool:
    """Active allies invite; so does the creator while waiting for the person's approval."""
    if ally is None or ally.is_gone:
        return False
    return ally.is_active or ally.user_id == alliance.created_by_id


def can_approve(ally: Ally | None) -> bool:
    """The person and their approved legal representative approve who joins."""
    return ally is not None and ally.is_active and ally.speaks_for_person


def is_second_pair_of_eyes(approver: Ally, representative: Ally) -> bool:
    """Neither the representative nor the ally who invited them (a creator invites themselves)."""
    inviter_id = representative.invited_by_id or representative.pk
    return approver.pk not in (representative.pk, inviter_id)


def representative_approvers(representative: Ally, allies) -> list[Ally]:
    """Who approves a legal representative (ADR 0009): the person, when active and not
    their inviter; otherwise any active ally but the inviter; when there is none (the
    start), any ally who has joined, is waiting for approval and is no representative."""
    others = [
        a
        for a in allies
        if a.alliance_id == representative.alliance_id and is_second_pair_of_eyes(a, representative)
    ]
    person = [a for a in others if a.role == Role.PERSON and a.is_active]
    if person:
        return person
    active = [a for a in others if a.is_active]
    if active:
        return active
    return [
        a
        for a in others
        if a.status == Ally.Status.AWAITING_APPROVAL and a.role != Role.REPRESENTATIVE
    ]


def can_decide_on(approver: Ally | None, ally: Ally, allies) -> bool:
    """A legal representative is approved by four eyes (above); any other ally by the
    person or an approved representative. `allies`: every ally of the alliance."""
    if approver is None or approver.alliance_id != ally.alliance_id:
        return False
    if ally.role == Role.REPRESENTATIVE:
        return any(a.pk == approver.pk for a in representative_approvers(ally, allies))
    return can_approve(approver)


def can_remove(remover: Ally | None, ally: Ally) -> bool:
    """The person or their approved legal representative removes any other ally, never
    the person."""
    return (
        can_approve(remover)
        and ally.alliance_id == remover.alliance_id
        and ally.pk != remover.pk
        and ally.role != Role.PERSON
        and not ally.is_gone
    )


def can_leave(ally: Ally | None) -> bool:
    """Any ally leaves, except the person: it is their alliance."""
    return ally is not None and not ally.is_gone and ally.role != Role.PERSON


def can_record_mandate(ally: Ally | None, representative: Ally) -> bool:
    """A legal representative records and corrects their own mandate (their inviter
    states it only when inviting them)."""
    return (
        ally is not None
        and ally.pk == representative.pk
        and ally.role == Role.REPRESENTATIVE
        and not ally.is_gone
    )


def can_contribute(ally: Ally | None) -> bool:
    """Active allies write statements, vote, edit the charter and answer checks."""
    return ally is not None and ally.is_active


def can_change_statement(ally: Ally | None, statement) -> bool:
    """Only the author changes or withdraws their own words."""
    return can_contribute(ally) and statement.author_id == ally.pk


def can_record_voice_note(ally: Ally | None, statement) -> bool:
    """Only the author records, replaces or deletes a voice note on their words (ADR
    0019); every ally who reads the statement hears it."""
    return can_change_statement(ally, statement)


def can_vote_on(ally: Ally | None, statement) -> bool:
    """Every other active ally votes on a live statement; the author already agrees."""
    return (
        can_contribute(ally) and statement.author_id != ally.pk and statement.withdrawn_at is None
    )


def can_sign_for(ally: Ally | None, signee: Ally, alliance: Alliance) -> bool:
    """Each ally signs (and commits) for themselves; an approved legal representative
    whose measure is to represent (not a curateur) may also sign and commit for a minor
    or protected adult."""
    if not can_contribute(ally):
        return False
    if signee.pk == ally.pk:
        return True
    return (
        ally.role == Role.REPRESENTATIVE
        and ally.speaks_for_person
        and signee.role == Role.PERSON
        and alliance.person_is_protected
    )


def can_support_expression_of(ally: Ally | None, author: Ally) -> bool:
    """A supporter records that they helped someone write; it must be another ally."""
    return ally is not None and ally.is_active and ally.pk != author.pk


def can_answer_invitation(user, invitation) -> bool:
    """Only the owner of the invited address accepts or declines, from their session."""
    return user.is_authenticated and invitation.is_for(user)


def can_withdraw_invitation(ally: Ally | None, invitation) -> bool:
    """The person, their legal representative, or the inviter withdraws a pending
    invitation of their alliance."""
    if ally is None or invitation.alliance_id != ally.alliance_id:
        return False
    return can_approve(ally) or (invitation.invited_by_id == ally.pk and not ally.is_gone)


# ---------------------------------------------------------------- activation and lost access
# Who may make a code that opens someone else's account (ADR 0013). The code reaches
# the one who made it, to hand over in person, or the phone number they type.


def can_hand_over_letter(me: Ally | None, ally: Ally, alliance: Alliance) -> bool:
    """The first activation letter of an account without email that was never used:
    only the ally who invited it (the creator of an alliance made for the person, or
    the ally who invited a relative without email), while in the alliance (active, or
    the creator waiting for the person's approval). Not the other allies, not the
    alliance's other professionals: one named person answers for the hand-over. Only
    a person's or a relative's account: a professional signs in with their email and
    their second factor, never a letter. Once the account was used, only a re-issue
    of access makes a new letter."""
    if me is None or me.is_gone or not (me.is_active or me.user_id == alliance.created_by_id):
        return False
    user = ally.user
    return (
        ally.alliance_id == me.alliance_id
        and ally.pk != me.pk
        and not ally.is_gone
        and ally.invited_by_id == me.pk
        and user.is_active
        and user.kind == user.Kind.INDIVIDUAL
        and not user.email
        and user.activated_at is None
    )


def are_colleagues(one: Ally, other: Ally) -> bool:
    """Allies who work for the same organisation: one pair of eyes, not two."""
    first, second = one.user.organisation_id, other.user.organisation_id
    return first is not None and first == second


def can_request_reissue(me: Ally | None, ally: Ally) -> bool:
    """Any active ally asks for a new access for another ally without email who is a
    person or a relative (not a professional, who signs in with their email)."""
    user = ally.user
    return (
        me is not None
        and me.is_active
        and ally.alliance_id == me.alliance_id
        and ally.pk != me.pk
        and not ally.is_gone
        and user.is_active
        and user.kind == user.Kind.INDIVIDUAL
        and not user.email
    )


def reissues_alone(me: Ally, ally: Ally) -> bool:
    """The person's approved legal representative re-issues the person's access alone."""
    return me.is_active and me.role == Role.REPRESENTATIVE and ally.role == Role.PERSON


def can_approve_reissue(me: Ally | None, reissue) -> bool:
    """A second active ally, neither the one who asked nor their colleague, nor the
    ally whose access it is."""
    return (
        me is not None
        and me.is_active
        and reissue.status == reissue.Status.PENDING
        and reissue.alliance_id == me.alliance_id
        and me.pk not in (reissue.requested_by_id, reissue.ally_id)
        and not are_colleagues(me, reissue.requested_by)
    )


def is_protected_person(ally: Ally | None, alliance: Alliance) -> bool:
    """The person of an alliance for a minor or a protected adult, reading it: their
    pages leave out what a child should not hold (inviting, handing over letters and
    new accesses, removing allies); their legal representative does that. What they
    decide (approving who joins) stays theirs."""
    return ally is not None and ally.role == Role.PERSON and alliance.person_is_protected


# ---------------------------------------------------------------- closing and handover (ADR 0023)


def can_propose_closing(ally: Ally | None) -> bool:
    """A professional of the alliance proposes to close or reopen it; the person and
    their approved legal representative close or reopen it themselves."""
    return ally is not None and ally.is_active and (ally.is_professional or ally.speaks_for_person)


def can_answer_closing(ally: Ally | None) -> bool:
    """The person or their approved legal representative answers a proposal to close
    or reopen: closing never happens without the person's side."""
    return can_approve(ally)


def can_propose_handover(user, leaving) -> bool:
    """A professional hands their own alliances over; their organisation's admin
    hands over those of a professional of the organisation."""
    if not (user.is_authenticated and user.is_professional and leaving.is_professional):
        return False
    if user.pk == leaving.pk:
        return True
    return (
        user.is_org_admin
        and user.organisation_id is not None
        and user.organisation_id == leaving.organisation_id
    )


def can_set_planning_codes(ally: Ally | None) -> bool:
    """An active professional of the alliance's own organisation records its planning
    codes (MDPH orientation, type of service); nobody else, the person included:
    they are the organisation's codes, not a label of the person."""
    return bool(
        ally is not None
        and ally.is_active
        and ally.role == Role.PROFESSIONAL
        and ally.alliance.organisation_id is not None
        and ally.user.organisation_id == ally.alliance.organisation_id
    )
