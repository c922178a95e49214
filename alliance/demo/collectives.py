"""The demo's collectives, built through the collectives' use cases.

The essay's third situation: in the Bellevue neighbourhood, social housing tenants
(résidence Les Acacias) and home owners (the pavillons) oppose the new traffic plan
for different reasons. A social worker of the neighbourhood centre runs a
consultation; about three hundred residents write and vote. Tenants and owners form
different opinion groups, yet a few statements unite them (children walking to
school safely, being consulted, a neighbourhood that is not a short cut): the common
ground their proposal to the town hall is built on.

And the ESAT workshop of the first situation, as a small collective where Samir
co-facilitates a short consultation on the reverse duo days.

Votes are drawn from a fixed seed, so every run gives the same consultation. Each
resident's votes go through one `cast_votes` call: the rules hold, and the whole
loads in a few seconds. The content is French data, written for the demo."""

import random

from alliance.accounts.models import Organisation, User
from alliance.collectives import services
from alliance.collectives.models import (
    Collective,
    CollectiveMember,
    ConsultationVote,
    MemberStanding,
)

from .clock import as_of, days_ago

SEED = 20261124
AGREE, DISAGREE, PASS = (
    ConsultationVote.Value.AGREE,
    ConsultationVote.Value.DISAGREE,
    ConsultationVote.Value.PASS,
)
TENANT, OWNER = "tenant", "owner"

# (text, easy-read, who writes it, share of tenants who agree, share of owners who agree).
# "seed": the facilitator, before opening. The first five are the common ground.
NEIGHBOURHOOD_STATEMENTS = [
    (
        "Les enfants doivent pouvoir aller à pied à l'école en sécurité.",
        "Les enfants vont à l'école à pied, sans danger.",
        "seed",
        0.93,
        0.9,
    ),
    (
        "Les habitants doivent être consultés avant chaque modification du plan de circulation.",
        "La mairie demande l'avis des habitants avant de changer les rues.",
        "seed",
        0.9,
        0.92,
    ),
    (
        "Le quartier ne doit pas devenir un raccourci pour les voitures qui le traversent.",
        "Les voitures ne traversent pas le quartier pour aller plus vite.",
        OWNER,
        0.86,
        0.9,
    ),
    (
        "Il faut un passage piéton éclairé devant la résidence Les Acacias.",
        "Un passage piéton avec de la lumière devant Les Acacias.",
        TENANT,
        0.92,
        0.82,
    ),
    (
        "Les personnes âgées doivent pouvoir traverser sans se presser.",
        "",
        TENANT,
        0.88,
        0.86,
    ),
    (
        "Il faut plus de bus le soir et le dimanche.",
        "Plus de bus le soir et le dimanche.",
        "seed",
        0.9,
        0.3,
    ),
    (
        "Il faut supprimer des places de stationnement pour élargir les trottoirs.",
        "Moins de places pour les voitures, des trottoirs plus larges.",
        "seed",
        0.72,
        0.12,
    ),
    (
        "Le stationnement devant les pavillons devrait devenir payant.",
        "",
        TENANT,
        0.62,
        0.05,
    ),
    (
        "Il faut des pistes cyclables séparées des voitures.",
        "Des pistes pour les vélos, loin des voitures.",
        TENANT,
        0.74,
        0.3,
    ),
    (
        "Le nouveau plan protège surtout les rues des pavillons, pas celles de la résidence.",
        "",
        TENANT,
        0.7,
        0.1,
    ),
    (
        "Une aire de jeux sur le parking de la rue du Marché serait plus utile que des places.",
        "",
        TENANT,
        0.72,
        0.18,
    ),
    (
        "Le sens unique rue des Lilas oblige à un détour inutile de deux kilomètres.",
        "Le sens unique rue des Lilas fait faire un long détour.",
        "seed",
        0.3,
        0.88,
    ),
    (
        "Chaque foyer doit garder une place de stationnement près de chez lui.",
        "Chaque famille garde une place pour sa voiture près de chez elle.",
        "seed",
        0.28,
        0.9,
    ),
    (
        "Les travaux vont faire baisser la valeur des maisons du quartier.",
        "",
        OWNER,
        0.12,
        0.7,
    ),
    (
        "Des ralentisseurs valent mieux que des rues fermées à la circulation.",
        "Des bosses sur la route plutôt que des rues fermées.",
        OWNER,
        0.35,
        0.82,
    ),
    (
        "La zone 30 devrait s'appliquer seulement aux heures d'entrée et de sortie d'école.",
        "",
        OWNER,
        0.25,
        0.74,
    ),
    (
        "Les bus qui passent tard le soir font trop de bruit pour les riverains.",
        "",
        OWNER,
        0.18,
        0.7,
    ),
    (
        "Il faut des caméras pour faire respecter les limitations de vitesse.",
        "",
        "seed",
        0.5,
        0.48,
    ),
    (
        "Le plan devrait être essayé six mois avant de devenir définitif.",
        "On essaie le plan six mois, puis on décide.",
        "seed",
        0.66,
        0.7,
    ),
    (
        "La rue du Marché devrait être réservée aux piétons le samedi matin.",
        "",
        TENANT,
        0.6,
        0.45,
    ),
    (
        "Les livraisons du supermarché devraient se faire avant 7 heures.",
        "",
        OWNER,
        0.55,
        0.6,
    ),
    (
        "Les camions de plus de 3,5 tonnes doivent passer par le boulevard, pas par le quartier.",
        "Les gros camions passent par le boulevard.",
        OWNER,
        0.7,
        0.76,
    ),
]
PENDING = [
    (TENANT, "Il faudrait un feu tricolore au carrefour de la boulangerie."),
    (OWNER, "Les vélos qui roulent sur les trottoirs sont dangereux pour les piétons."),
    (
        TENANT,
        "Une navette gratuite vers le marché le samedi aiderait ceux qui n'ont pas de voiture.",
    ),
]
REFUSED = (
    OWNER,
    "De toute façon, les gens de la résidence ne respectent rien.",
    "Ce message vise des personnes et non le plan de circulation. Écrivez plutôt ce que "
    "vous voudriez voir changer dans les rues.",
)
TENANT_NAMES = (
    "Fatou",
    "Mamadou",
    "Aïcha",
    "Karim",
    "Nadia",
    "Yacine",
    "Samia",
    "Moussa",
    "Leïla",
    "Bilal",
    "Inès",
    "Rachid",
    "Sonia",
    "Kevin",
    "Mélissa",
    "Oumar",
    "Jessica",
    "Sofiane",
)
OWNER_NAMES = (
    "Bernard",
    "Monique",
    "Jean-Pierre",
    "Chantal",
    "Philippe",
    "Catherine",
    "Gérard",
    "Martine",
    "Alain",
    "Sylvie",
    "Patrick",
    "Isabelle",
    "Daniel",
    "Françoise",
    "Thierry",
)
INITIALS = "ABCDEFGHJKLMNOPRSTV"
RESIDENTS = 300
TENANT_SHARE = 0.6
DRIVE_BY = 12  # residents who vote on a handful of statements only


def _staff() -> User:
    centre = Organisation.objects.create(
        name="Centre social Bellevue", kind=Organisation.Kind.SERVICE, territory="69 Rhône"
    )
    return User.objects.create_user(
        email="karima.haddad@centre-bellevue.example",
        display_name="Karima Haddad",
        kind=User.Kind.PROFESSIONAL,
        organisation=centre,
        job_title="Animatrice de quartier",
        demo_persona="animatrice-karima",
    )


def _vote(rng, tenant_share, owner_share, side):
    share = tenant_share if side == TENANT else owner_share
    roll = rng.random()
    if roll < share:
        return AGREE
    return DISAGREE if rng.random() < 0.8 else PASS


def load_neighbourhood() -> Collective:
    rng = random.Random(SEED)
    karima = _staff()
    with as_of(days_ago(96)):
        collective = services.create_collective(
            creator=karima,
            name="Quartier Bellevue : locataires et propriétaires",
            description=(
                "Les habitants de la résidence Les Acacias et des pavillons face au nouveau "
                "plan de circulation."
            ),
            kind=Collective.Kind.NEIGHBOURHOOD,
            territory="Villeurbanne, quartier Bellevue",
        )
    facilitator = collective.members.get(user=karima)
    sides = {}
    with as_of(days_ago(95)):
        fatou = services.add_member(
            by=facilitator, display_name="Fatou Diallo", standing=MemberStanding.RESIDENT
        )
        User.objects.filter(pk=fatou.user_id).update(demo_persona="habitante-fatou")
        sides[fatou.pk] = TENANT
        for _n in range(RESIDENTS):
            side = TENANT if rng.random() < TENANT_SHARE else OWNER
            names = TENANT_NAMES if side == TENANT else OWNER_NAMES
            member = services.add_member(
                by=facilitator,
                display_name=f"{rng.choice(names)} {rng.choice(INITIALS)}.",
                standing=MemberStanding.RESIDENT,
            )
            sides[member.pk] = side
    residents = list(
        collective.members.filter(status=CollectiveMember.Status.ACTIVE)
        .exclude(pk=facilitator.pk)
        .select_related("collective", "user")
        .order_by("pk")
    )
    by_side = {side: [m for m in residents if sides[m.pk] == side] for side in (TENANT, OWNER)}

    seeds = [row for row in NEIGHBOURHOOD_STATEMENTS if row[2] == "seed"]
    with as_of(days_ago(90)):
        consultation = services.create_consultation(
            by=facilitator,
            question="Le nouveau plan de circulation du quartier : qu'en pensez-vous ?",
            easy_read_question="Les rues du quartier vont changer. Qu'en pensez-vous ?",
            # Each seed with the easy-read version Karima writes for it.
            seed_statements=[(text, easy) for text, easy, *_shares in seeds],
        )
        consultation = services.open_consultation(
            by=facilitator, consultation=consultation, expected_version=consultation.version
        )

    statements = list(consultation.statements.order_by("pk"))
    profiles = {s.pk: (row[3], row[4]) for s, row in zip(statements, seeds, strict=True)}
    day = 88
    for text, easy, author_side, tenants, owners in NEIGHBOURHOOD_STATEMENTS:
        if author_side == "seed":
            continue
        author = rng.choice(by_side[author_side])
        with as_of(days_ago(day, hour=18)):
            statement = services.write_statement(
                member=author, consultation=consultation, text=text
            )
            # Karima writes the easy-read version as she accepts it.
            services.moderate_statement(
                by=facilitator, statement=statement, accept=True, easy_read=easy
            )
        statements.append(statement)
        profiles[statement.pk] = (tenants, owners)
        day -= 1
    with as_of(days_ago(70, hour=19)):
        side, text, reason = REFUSED
        refused = services.write_statement(
            member=rng.choice(by_side[side]), consultation=consultation, text=text
        )
        services.moderate_statement(by=facilitator, statement=refused, accept=False, reason=reason)

    # Residents vote over four weeks; statements written later get fewer votes.
    for n, member in enumerate(residents):
        side = sides[member.pk]
        reach = 4 if n % (len(residents) // DRIVE_BY) == 0 else None
        values = {}
        for index, statement in enumerate(statements):
            chance = 0.85 - 0.015 * index
            if reach is not None:
                chance = reach / len(statements)
            if rng.random() < chance:
                values[statement.pk] = _vote(rng, *profiles[statement.pk], side)
        if values:
            with as_of(days_ago(86 - n * 28 // len(residents), hour=8 + n % 12)):
                services.cast_votes(member=member, consultation=consultation, values=values)

    for offset, (side, text) in enumerate(PENDING):
        with as_of(days_ago(3 - offset, hour=20)):
            services.write_statement(
                member=rng.choice(by_side[side]), consultation=consultation, text=text
            )
    return collective


ESAT_STATEMENTS = [
    (
        "Les visiteurs passent toute la journée au poste, pas seulement une heure.",
        "Les visiteurs restent toute la journée.",
    ),
    ("C'est le travailleur qui montre les gestes, le moniteur reste en retrait.", ""),
    (
        "On prépare une fiche du poste avec des photos pour les visiteurs.",
        "Une fiche avec des photos pour expliquer le poste.",
    ),
    ("Chaque duo finit la journée par un repas ensemble.", "On mange ensemble à midi."),
    ("Les duos se font seulement avec des volontaires.", "Seulement ceux qui veulent."),
    ("Il faut inviter aussi les chefs d'entreprise, pas seulement les salariés.", ""),
]
WORKERS = ("Lucas M.", "Awa T.", "Kevin R.", "Sandrine P.", "Mehdi B.", "Pauline G.", "Hugo L.")


def load_workshop() -> Collective:
    rng = random.Random(SEED + 1)
    thierry = User.objects.get(demo_persona="pro-thierry")
    with as_of(days_ago(40)):
        collective = services.create_collective(
            creator=thierry,
            name="Atelier conditionnement — ESAT Les Ateliers de la Vallée",
            description="Les travailleurs et les moniteurs organisent ensemble le travail.",
            kind=Collective.Kind.WORKSHOP,
            standing=MemberStanding.PROFESSIONAL,
        )
        facilitator = collective.members.get(user=thierry)
        samir = services.add_member(
            by=facilitator,
            user=User.objects.get(demo_persona="personne-samir"),
            standing=MemberStanding.PERSON,
        )
        services.make_facilitator(by=facilitator, member=samir)
        samir.refresh_from_db()
        members = [samir]
        julie = services.add_member(
            by=facilitator,
            user=User.objects.get(demo_persona="pair-julie"),
            standing=MemberStanding.PERSON,
        )
        members.append(julie)
        for name in WORKERS:
            member = services.add_member(
                by=facilitator, display_name=name, standing=MemberStanding.PERSON
            )
            members.append(member)
    with as_of(days_ago(30)):
        consultation = services.create_consultation(
            by=samir,
            question="Comment organiser nos journées de duos inversés ?",
            easy_read_question="Des salariés viennent apprendre notre travail. Comment faire ?",
        )
        for text, easy in ESAT_STATEMENTS:
            services.write_statement(
                member=samir, consultation=consultation, text=text, easy_read=easy
            )
        consultation = services.open_consultation(
            by=samir, consultation=consultation, expected_version=consultation.version
        )
    statements = list(consultation.statements.order_by("pk"))
    for n, member in enumerate([facilitator, *members[1:]]):
        values = {s.pk: AGREE if rng.random() < 0.75 else DISAGREE for s in statements}
        with as_of(days_ago(28 - n, hour=14)):
            services.cast_votes(member=member, consultation=consultation, values=values)
    with as_of(days_ago(2, hour=11)):
        services.write_statement(
            member=members[2],
            consultation=consultation,
            text="On pourrait aussi aller, nous, une journée dans leur entreprise.",
        )
    return collective


def load_collectives() -> Collective:
    """Both collectives; returns the neighbourhood, whose common ground the proposal to
    the town hall builds on."""
    load_workshop()
    return load_neighbourhood()
