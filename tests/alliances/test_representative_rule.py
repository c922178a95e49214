"""The rule of ADR 0009 as a table: who approves a legal representative, what a
mandate gives, who removes and who leaves. Allies are built in memory: the
predicates read nothing from the database."""

import pytest

from alliance.alliances import perms
from alliance.alliances.models import Alliance, Ally, MandateKind, Role

S = Ally.Status
PERSON, PRO, COLLEAGUE, RELATIVE, REP, OTHER_REP = 1, 2, 3, 4, 5, 6


def _allies(statuses, *, rep_invited_by=PRO, other_rep_invited_by=PRO):
    """`statuses`: ally id -> status; the rest of each ally is fixed by its id."""
    roles = {
        PERSON: Role.PERSON,
        PRO: Role.PROFESSIONAL,
        COLLEAGUE: Role.PROFESSIONAL,
        RELATIVE: Role.RELATIVE,
        REP: Role.REPRESENTATIVE,
        OTHER_REP: Role.REPRESENTATIVE,
    }
    invited_by = {PERSON: PRO, PRO: None, COLLEAGUE: PRO, RELATIVE: PRO}
    invited_by.update({REP: rep_invited_by, OTHER_REP: other_rep_invited_by})
    return {
        pk: Ally(
            pk=pk,
            alliance_id=1,
            role=roles[pk],
            status=status,
            invited_by_id=invited_by[pk],
            mandate_kind=MandateKind.PARENT if roles[pk] == Role.REPRESENTATIVE else "",
        )
        for pk, status in statuses.items()
    }


@pytest.mark.parametrize(
    ("case", "statuses", "invited_by", "approvers"),
    [
        (
            "the active person, and only the person, approves",
            {PERSON: S.ACTIVE, PRO: S.ACTIVE, RELATIVE: S.ACTIVE, REP: S.AWAITING_APPROVAL},
            PRO,
            {PERSON},
        ),
        (
            "the person who invited the representative needs a second ally",
            {PERSON: S.ACTIVE, PRO: S.ACTIVE, REP: S.AWAITING_APPROVAL},
            PERSON,
            {PRO},
        ),
        (
            "without the person, any active ally but the inviter",
            {PERSON: S.INVITED, PRO: S.ACTIVE, RELATIVE: S.ACTIVE, REP: S.AWAITING_APPROVAL},
            RELATIVE,
            {PRO},
        ),
        (
            "at the start, a colleague who joined approves; no unapproved representative does",
            {
                PERSON: S.INVITED,
                PRO: S.AWAITING_APPROVAL,
                COLLEAGUE: S.AWAITING_APPROVAL,
                REP: S.AWAITING_APPROVAL,
                OTHER_REP: S.AWAITING_APPROVAL,
            },
            PRO,
            {COLLEAGUE},
        ),
        (
            "at the start, the inviter and the representative alone: wait for a third",
            {PERSON: S.INVITED, PRO: S.AWAITING_APPROVAL, REP: S.AWAITING_APPROVAL},
            PRO,
            set(),
        ),
        (
            "a creator who says they represent the person: anyone else who joined",
            {PERSON: S.INVITED, PRO: S.AWAITING_APPROVAL, REP: S.AWAITING_APPROVAL},
            None,
            {PRO},
        ),
        (
            "an invited ally who has not joined approves nobody",
            {
                PERSON: S.INVITED,
                PRO: S.AWAITING_APPROVAL,
                COLLEAGUE: S.INVITED,
                REP: S.AWAITING_APPROVAL,
            },
            PRO,
            set(),
        ),
        (
            "who left or was removed approves nobody",
            {PERSON: S.LEFT, PRO: S.ACTIVE, RELATIVE: S.REMOVED, REP: S.AWAITING_APPROVAL},
            PRO,
            set(),
        ),
    ],
)
def test_who_approves_a_legal_representative(case, statuses, invited_by, approvers):
    allies = _allies(statuses, rep_invited_by=invited_by)
    representative = allies[REP]
    found = {a.pk for a in perms.representative_approvers(representative, allies.values())}
    assert found == approvers, case
    for ally in allies.values():
        allowed = perms.can_decide_on(ally, representative, allies.values())
        assert allowed == (ally.pk in approvers), (case, ally.pk)
    assert not perms.can_decide_on(representative, representative, allies.values())


@pytest.mark.parametrize(
    ("kind", "represents"),
    [
        (MandateKind.PARENT, True),
        (MandateKind.TUTELLE, True),
        (MandateKind.HABILITATION_FAMILIALE, True),
        (MandateKind.CURATELLE, False),
        ("", False),
    ],
)
def test_a_mandate_gives_the_powers_of_representation_except_curatelle(kind, represents):
    alliance = Alliance(pk=1, person_is_protected=True)
    person = Ally(pk=PERSON, alliance_id=1, role=Role.PERSON, status=S.ACTIVE)
    rep = Ally(pk=REP, alliance_id=1, role=Role.REPRESENTATIVE, status=S.ACTIVE, mandate_kind=kind)
    relative = Ally(pk=RELATIVE, alliance_id=1, role=Role.RELATIVE, status=S.ACTIVE)
    assert rep.speaks_for_person is represents
    assert perms.can_approve(rep) is represents
    assert perms.can_sign_for(rep, person, alliance) is represents
    assert perms.can_remove(rep, relative) is represents
    assert perms.can_sign_for(rep, rep, alliance)  # in their own name, always


def test_until_approved_a_representative_has_no_power():
    alliance = Alliance(pk=1, person_is_protected=True)
    person = Ally(pk=PERSON, alliance_id=1, role=Role.PERSON, status=S.INVITED)
    rep = Ally(
        pk=REP,
        alliance_id=1,
        role=Role.REPRESENTATIVE,
        status=S.AWAITING_APPROVAL,
        mandate_kind=MandateKind.TUTELLE,
    )
    relative = Ally(pk=RELATIVE, alliance_id=1, role=Role.RELATIVE, status=S.AWAITING_APPROVAL)
    assert not perms.can_approve(rep)
    assert not perms.can_decide_on(rep, relative, [person, rep, relative])
    assert not perms.can_sign_for(rep, person, alliance)
    assert not perms.can_remove(rep, relative)
    assert not perms.can_contribute(rep)


@pytest.mark.parametrize(
    ("role", "status", "may_leave"),
    [
        (Role.PERSON, S.ACTIVE, False),
        (Role.REPRESENTATIVE, S.ACTIVE, True),
        (Role.PROFESSIONAL, S.AWAITING_APPROVAL, True),
        (Role.RELATIVE, S.INVITED, True),
        (Role.RELATIVE, S.LEFT, False),
        (Role.RELATIVE, S.REMOVED, False),
    ],
)
def test_any_ally_but_the_person_leaves(role, status, may_leave):
    assert perms.can_leave(Ally(pk=7, alliance_id=1, role=role, status=status)) is may_leave


def test_nobody_removes_the_person_or_themselves_or_across_alliances():
    person = Ally(pk=PERSON, alliance_id=1, role=Role.PERSON, status=S.ACTIVE)
    rep = Ally(
        pk=REP, alliance_id=1, role=Role.REPRESENTATIVE, status=S.ACTIVE, mandate_kind="parent"
    )
    elsewhere = Ally(pk=9, alliance_id=2, role=Role.RELATIVE, status=S.ACTIVE)
    relative = Ally(pk=RELATIVE, alliance_id=1, role=Role.RELATIVE, status=S.ACTIVE)
    assert not perms.can_remove(rep, person)
    assert not perms.can_remove(person, person)
    assert not perms.can_remove(person, elsewhere)
    assert perms.can_remove(person, rep)
    assert not perms.can_remove(relative, rep)
