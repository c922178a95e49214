"""Hélène's caseload (issue 12): forty more small alliances of the coordinator, so
that the caseload page has something to search, filter and page through; one of
them closed with the person's agreement, and one handed over to her colleague
Camille, waiting for the person's approval. Built with the same use cases as the
pages, the clock set back to when each step happened.

The names and titles are French data, written for the demo: not interface text."""

import datetime

from django.utils import timezone

from alliance.accounts import services as accounts
from alliance.acting import services as acting
from alliance.alliances import lifecycle, services
from alliance.alliances.models import Alliance, Ally, Role, StatementKind, VoteValue
from alliance.alliances.needs import label_of

from .clock import as_of, days_ago

FIRST_NAMES = [
    "Adam", "Alice", "Amir", "Anaïs", "Baptiste", "Camille", "Chloé", "Clément",
    "Élodie", "Émile", "Enzo", "Éva", "Gabriel", "Hélène", "Ilyes", "Jeanne",
    "Jules", "Kenza", "Lina", "Louis", "Lucas", "Manon", "Mathis", "Mila",
    "Nathan", "Noah", "Océane", "Paul", "Rose", "Sacha", "Salomé", "Sofia",
    "Théo", "Timéo", "Valentin", "Victor", "Yasmine", "Zoé", "Aurélien", "Maïssa",
]  # fmt: skip
LAST_NAMES = ["Bernard", "Petit", "Durand", "Lambert", "Fontaine", "Chevalier", "Morin", "Girard"]
TOPICS = [
    "Trouver un logement adapté",
    "Reprendre une formation",
    "Aller au collège avec une AESH",
    "Sortir davantage le week-end",
    "Préparer l'entrée en ESAT",
    "Retrouver un rythme de sommeil",
    "Gérer son budget",
    "Voir sa famille plus souvent",
]
# The school life domain of SERAFIN-PH: in the perimeter of every signed charter here.
DOMAIN = "1.3.3.3"
# Every fourth alliance lives a full life: a signed charter, a review date and an
# action, some of them late; the others only began.
SIGNED_EVERY = 4
SMALL = len(FIRST_NAMES)


def _alliance_of(helene, n: int) -> tuple[Alliance, Ally, Ally]:
    first, last = FIRST_NAMES[n], LAST_NAMES[n % len(LAST_NAMES)]
    alliance = services.create_alliance(
        creator=helene,
        title=f"{TOPICS[n % len(TOPICS)]} ({first})",
        situation=f"{first} est accompagné·e par la plateforme depuis peu.",
        person_name=f"{first} {last}",
    )
    pro = alliance.allies.get(user=helene)
    person = services.accept_invitation(ally=alliance.allies.get(role=Role.PERSON))
    services.decide_on_ally(approver=person, ally=pro, approve=True)
    pro.refresh_from_db()
    return alliance, pro, person


def _charter(ally: Ally):
    return services.current_charter(ally.alliance)


def _live(pro: Ally, person: Ally, n: int) -> None:
    """A signed charter, the next review on a date that is, today, overdue or due
    soon or later, and an action that is late in every other one."""
    statement = services.write_statement(
        ally=person, kind=StatementKind.INTEREST, text="Avancer à mon rythme."
    )
    services.cast_vote(ally=pro, statement=statement, value=VoteValue.AGREE)
    charter = _charter(pro)
    services.adopt_interest(
        ally=pro, charter=charter, statement=statement, expected_revision=charter.revision
    )
    for ally, text in ((person, "Je dis ce qui compte pour moi."), (pro, "Je fais le lien.")):
        charter = _charter(ally)
        services.add_commitment(
            ally=ally, charter=charter, text=text, expected_revision=charter.revision
        )
    charter = _charter(pro)
    services.set_perimeter(
        ally=pro,
        charter=charter,
        label=label_of(DOMAIN),
        domain_code=DOMAIN,
        status="in_alliance",
        expected_revision=charter.revision,
    )
    for ally in (person, pro):
        charter = _charter(ally)
        services.sign_charter(ally=ally, charter=charter, expected_revision=charter.revision)
    today = timezone.localdate()
    acting.set_next_review(
        ally=pro, on=today + datetime.timedelta(days=30 + 15 * n), expected_version=0
    )
    acting.plan_action(
        ally=pro,
        title="Appeler la MDPH",
        domain_label=label_of(DOMAIN),
        due_date=today + datetime.timedelta(days=5 if n % 2 else 200),
        my_role="J'appelle et je raconte.",
    )


def load_caseload(people) -> None:
    helene, admin = people["coordinator"], people["admin"]
    # Not Julien: his story is that being Hélène's colleague opens none of her alliances.
    camille = accounts.add_professional(
        admin=admin,
        email="camille.besson@tilleuls.example",
        display_name="Camille Besson",
        job_title="Éducatrice spécialisée",
    )
    # Every professional of the demo is a persona one can sign in as.
    camille.demo_persona = "pro-camille"
    camille.save(update_fields=["demo_persona"])
    made = []
    for n in range(SMALL):
        # From 120 days ago to the day before yesterday: varied reviews and activity.
        with as_of(days_ago(120 - 3 * n)):
            alliance, pro, person = _alliance_of(helene, n)
            if n % SIGNED_EVERY == 0:
                _live(pro, person, n // SIGNED_EVERY)
        made.append((alliance, pro, person))
    alliance, pro, person = made[1]
    with as_of(days_ago(10)):
        request = lifecycle.close_alliance(
            ally=pro,
            reason="Le projet est atteint : la personne n'a plus besoin d'accompagnement.",
            expected_version=alliance.lifecycle_version,
        )
        alliance.refresh_from_db()
        lifecycle.answer_request(
            ally=person,
            request=request,
            agree=True,
            expected_version=alliance.lifecycle_version,
        )
    with as_of(days_ago(2)):
        lifecycle.propose_handover(
            by=admin, leaving=helene, successor=camille, alliance_ids=[made[2][0].pk]
        )
