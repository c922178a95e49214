"""Factories (factory_boy) with traits, and builders that go through the services
where the domain rules matter (an alliance made by hand could break them)."""

from contextlib import contextmanager
from dataclasses import dataclass
from unittest.mock import patch

import factory
from django.db.models import QuerySet
from django.utils import timezone

from alliance.accounts.models import Organisation, User
from alliance.alliances import services
from alliance.alliances.models import (
    Alliance,
    Ally,
    MandateKind,
    Role,
    Statement,
    StatementKind,
    Vote,
)
from alliance.alliances.models import VoteValue as V

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Service d'accompagnement {n}")
    kind = Organisation.Kind.ESSMS
    territory = "69 Rhône"


class UserFactory(factory.django.DjangoModelFactory):
    """An individual (person or relative) unless a trait says otherwise."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Utilisatrice {n}")
    kind = User.Kind.INDIVIDUAL
    password = factory.django.Password(PASSWORD)

    class Params:
        individual = factory.Trait(kind=User.Kind.INDIVIDUAL, organisation=None)
        professional = factory.Trait(
            kind=User.Kind.PROFESSIONAL,
            organisation=factory.SubFactory(OrganisationFactory),
            job_title="Éducatrice spécialisée",
        )
        decision_maker = factory.Trait(kind=User.Kind.DECISION_MAKER)
        org_admin = factory.Trait(
            kind=User.Kind.PROFESSIONAL,
            organisation=factory.SubFactory(OrganisationFactory),
            is_org_admin=True,
            job_title="Directrice",
        )
        without_email = factory.Trait(email=None, password=None)


class AllianceFactory(factory.django.DjangoModelFactory):
    """A bare alliance row: prefer `make_alliance_trio` when allies matter."""

    class Meta:
        model = Alliance

    title = factory.Sequence(lambda n: f"Alliance {n}")
    situation = "Une situation, en quelques mots."
    created_by = factory.SubFactory(UserFactory, professional=True)
    organisation = factory.SelfAttribute("created_by.organisation")


class AllyFactory(factory.django.DjangoModelFactory):
    """An active ally; traits give the role (and the matching kind of user)."""

    class Meta:
        model = Ally

    alliance = factory.SubFactory(AllianceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.RELATIVE
    status = Ally.Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)

    class Params:
        person = factory.Trait(role=Role.PERSON)
        representative = factory.Trait(role=Role.REPRESENTATIVE, mandate_kind=MandateKind.PARENT)
        relative = factory.Trait(role=Role.RELATIVE)
        professional = factory.Trait(
            role=Role.PROFESSIONAL,
            user=factory.SubFactory(
                UserFactory,
                professional=True,
                organisation=factory.SelfAttribute("..alliance.organisation"),
            ),
        )
        invited = factory.Trait(status=Ally.Status.INVITED, joined_at=None)
        awaiting = factory.Trait(status=Ally.Status.AWAITING_APPROVAL)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    author = factory.SubFactory(AllyFactory)
    alliance = factory.SelfAttribute("author.alliance")
    kind = StatementKind.INTEREST
    text = factory.Sequence(lambda n: f"Ce qui compte pour moi, numéro {n}.")


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    statement = factory.SubFactory(StatementFactory)
    ally = factory.SubFactory(AllyFactory, alliance=factory.SelfAttribute("..statement.alliance"))
    value = V.AGREE


# ---------------------------------------------------------------- builders through services


@dataclass
class Trio:
    """An alliance made through the services: a professional created it, invited the
    person and a parent (legal representative); everyone accepted, the person approved
    the parent, the parent approved the professional. All three are active."""

    alliance: Alliance
    professional: Ally
    parent: Ally
    person: Ally

    @property
    def allies(self):
        return [self.professional, self.parent, self.person]

    def refresh(self):
        for ally in self.allies:
            ally.refresh_from_db()
        return self


def make_alliance_trio(
    *,
    professional: User | None = None,
    person_is_protected=True,
    title="Aller à l'école du quartier",
) -> Trio:
    professional = professional or UserFactory(professional=True, display_name="Inès Morel")
    n = User.objects.count()
    # The person and the parent have their own accounts: they answer the invitations
    # to their addresses from their own sessions, as the owners would.
    leo = UserFactory(email=f"leo{n}@example.org", display_name="Léo Martin")
    nadia = UserFactory(email=f"nadia{n}@example.org", display_name="Nadia Martin")
    alliance = services.create_alliance(
        creator=professional,
        title=title,
        situation="Léo a 9 ans.",
        person_name="Léo Martin",
        person_email=leo.email,
        person_is_protected=person_is_protected,
    )
    pro_ally = alliance.allies.get(user=professional)
    services.invite_ally(
        inviter=pro_ally,
        display_name="Nadia Martin",
        email=nadia.email,
        role=Role.REPRESENTATIVE,
    )
    person = accept_by_email(leo, alliance)
    parent = accept_by_email(nadia, alliance)
    # Representatives and allies (issue 9): the parent records the mandate and the
    # person, active, approves them (ADR 0009); then the parent approves the professional.
    services.record_mandate(ally=parent, kind=MandateKind.PARENT)
    services.decide_on_ally(approver=person, ally=parent, approve=True)
    services.decide_on_ally(approver=parent, ally=pro_ally, approve=True)
    return Trio(alliance=alliance, professional=pro_ally, parent=parent, person=person).refresh()


def accept_by_email(user: User, alliance: Alliance) -> Ally:
    """The owner of an invited address accepts from their own session."""
    invitation = alliance.invitations.get(email__iexact=user.email, status="pending")
    return services.answer_ally_invitation(user=user, invitation=invitation, accept=True)


def make_common_ground(
    trio: Trio, text="Que Léo se sente bien à l'école.", author: Ally | None = None
) -> Statement:
    """A statement that every ally agrees with: it stands in the common ground."""
    author = author or trio.person
    statement = services.write_statement(ally=author, kind=StatementKind.INTEREST, text=text)
    for ally in trio.allies:
        if ally.pk != author.pk:
            services.cast_vote(ally=ally, statement=statement, value=V.AGREE)
    return statement


def make_signable_charter(trio: Trio):
    """The current charter with one adopted interest and a commitment from each ally."""
    statement = make_common_ground(trio)
    charter = services.current_charter(trio.alliance)
    services.adopt_interest(
        ally=trio.professional,
        charter=charter,
        statement=statement,
        expected_revision=charter.revision,
    )
    for ally in trio.allies:
        charter.refresh_from_db()
        services.add_commitment(
            ally=ally,
            charter=charter,
            text=f"{ally.user} s'engage.",
            expected_revision=charter.revision,
        )
    charter.refresh_from_db()
    return charter


def make_signed_charter(
    trio: Trio,
    *,
    perimeter=(("Scolarité", "in_alliance"), ("Loisirs", "person_own"), ("Santé", "with_others")),
):
    """A charter signed by the three allies, with a perimeter (label, status)."""
    charter = make_signable_charter(trio)
    for label, status in perimeter:
        services.set_perimeter(
            ally=trio.parent,
            charter=charter,
            label=label,
            status=status,
            expected_revision=charter.revision,
        )
        charter.refresh_from_db()
    for ally in trio.allies:
        services.sign_charter(ally=ally, charter=charter, expected_revision=charter.revision)
        charter.refresh_from_db()
    assert charter.status == charter.Status.SIGNED
    return charter


@contextmanager
def a_stance_sent_at_the_same_moment(ally, option, value="support"):
    """Another request of the same ally records its stance just after this one has read
    which stance was current, as two clicks racing on two servers would: this one still
    sees the stance it read then."""
    from alliance.acting import services as acting
    from alliance.acting.models import Stance

    seen = list(
        Stance.objects.filter(option=option, ally=ally, superseded_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    raced = acting.take_stance(ally=ally, option=option, value=value)
    real_values_list = QuerySet.values_list

    def values_list(queryset, *fields, **kwargs):
        if queryset.model is Stance and queryset.query.select_for_update:
            return list(seen)
        return real_values_list(queryset, *fields, **kwargs)

    with patch.object(QuerySet, "values_list", values_list):
        yield raced
