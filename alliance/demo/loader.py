"""The demo: the first two situations of the essay, as living alliances.

Everything is built through the use-case functions the views call (invitations,
approvals, statements, votes, charter, signatures), so the demo also shows that
the rules hold: nobody writes in another's name, common ground is computed, the
charter is signed by everyone. Only the organisations and the first accounts
(professionals the services find by email, the first person) are created
directly, since no use case creates them.

The content is French data, written for the demo: it is not interface text.
"""

import datetime
from contextlib import contextmanager

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from alliance.accounts import services as accounts
from alliance.accounts.models import Organisation, User
from alliance.acting import services as acting
from alliance.acting.models import Availability, StanceValue
from alliance.alliances import services, voice_notes
from alliance.alliances.models import (
    Alliance,
    Ally,
    AsymmetryDimension,
    MandateKind,
    PerimeterStatus,
    Role,
    StatementKind,
    VoteValue,
)
from alliance.alliances.needs import label_of

from .api import load_api_client
from .attachments import load_attachments
from .caseload import load_caseload
from .clock import as_of, days_ago
from .collectives import load_collectives
from .documents import load_documents
from .history import living_esat
from .interop import load_dui_consent
from .letters import load_first_access
from .meetings import load_meetings
from .member_invitations import load_member_invitations
from .personas import demo_loaded
from .privacy import load_privacy
from .proposals import load_proposal
from .report_requests import load_closed_report_request, load_report_requests
from .reports import build_reports
from .results import compute_demo_results, describe_demo_groups
from .voice import tone_wav
from .weather import load_weather

AGREE, DISAGREE = VoteValue.AGREE, VoteValue.DISAGREE
UNSURE, PASS = VoteValue.UNSURE, VoteValue.PASS
INTEREST, GOAL, MEANS = StatementKind.INTEREST, StatementKind.GOAL, StatementKind.MEANS
CONCERN, CAPACITY = StatementKind.CONCERN, StatementKind.CAPACITY
IN_ALLIANCE = PerimeterStatus.IN_ALLIANCE
SUPPORT, RESERVATIONS = StanceValue.SUPPORT, StanceValue.RESERVATIONS
OPPOSE = StanceValue.OPPOSE
PERSON_OWN, WITH_OTHERS = PerimeterStatus.PERSON_OWN, PerimeterStatus.WITH_OTHERS


# ---------------------------------------------------------------- helpers


@contextmanager
def _no_outgoing_mail():
    """Demo invitations go to people who do not exist: no email leaves."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def _persona(user: User, slug: str) -> User:
    User.objects.filter(pk=user.pk).update(demo_persona=slug)
    user.demo_persona = slug
    return user


def _join(ally: Ally, approver: Ally | None = None) -> Ally:
    """The invited ally accepts (someone invited by email already did, from their own
    session); the person (or representative) approves."""
    if ally.status == Ally.Status.INVITED:
        services.accept_invitation(ally=ally)
    if ally.status == Ally.Status.AWAITING_APPROVAL:
        services.decide_on_ally(approver=approver, ally=ally, approve=True)
    return ally


def _invite(
    inviter: Ally,
    *,
    name: str = "",
    user: User | None = None,
    role: str,
    slug: str = "",
    mandate: dict | None = None,
) -> Ally:
    invited = services.invite_ally(
        inviter=inviter,
        display_name=user.display_name if user else name,
        email=user.email if user else "",
        role=role,
        mandate=mandate,
    )
    # Someone with an account answers the invitation to their address themselves.
    ally = (
        services.answer_ally_invitation(user=user, invitation=invited, accept=True)
        if user
        else invited
    )
    if slug:
        _persona(ally.user, slug)
    return ally


def _votes(statement, *pairs):
    for ally, value in pairs:
        services.cast_vote(ally=ally, statement=statement, value=value)


def _charter_edit(use_case, ally: Ally, **fields):
    """Calls a charter use case on the current version, as an ally who just read it."""
    charter = services.current_charter(ally.alliance)
    return use_case(ally=ally, charter=charter, expected_revision=charter.revision, **fields)


def _perimeter(ally: Ally, code: str, status: str):
    label = label_of(code)
    if not label:
        raise ValueError(f"unknown SERAFIN-PH code {code!r}")
    return _charter_edit(services.set_perimeter, ally, label=label, domain_code=code, status=status)


def _sign(ally: Ally, signee: Ally | None = None):
    return _charter_edit(services.sign_charter, ally, signee=signee)


def _check(ally: Ally, path: str, pace: str, ahead: str):
    return services.record_position_check(
        ally=ally, chooses_path=path, sets_pace=pace, walks_ahead=ahead
    )


# ---------------------------------------------------------------- accounts


def _accounts() -> dict[str, User]:
    platform = Organisation.objects.create(
        name="Plateforme médico-sociale Les Tilleuls",
        kind=Organisation.Kind.ESSMS,
        territory="69 Rhône",
    )
    esat = Organisation.objects.create(
        name="ESAT Les Ateliers de la Vallée",
        kind=Organisation.Kind.ESSMS,
        territory="69 Rhône",
    )
    admin = _persona(
        User.objects.create_user(
            email="sophie.garnier@tilleuls.example",
            display_name="Sophie Garnier",
            kind=User.Kind.PROFESSIONAL,
            organisation=platform,
            is_org_admin=True,
            job_title="Responsable administrative",
        ),
        "admin-sophie",
    )

    def professional(slug, email, name, job_title):
        user = accounts.add_professional(
            admin=admin, email=email, display_name=name, job_title=job_title
        )
        return _persona(user, slug)

    people = {
        "admin": admin,
        "coordinator": professional(
            "pro-helene",
            "helene.roussel@tilleuls.example",
            "Hélène Roussel",
            "Coordinatrice de parcours",
        ),
        "teacher": professional(
            "pro-marc", "marc.lefevre@tilleuls.example", "Marc Lefèvre", "Enseignant spécialisé"
        ),
        "colleague": professional(
            "pro-julien", "julien.faure@tilleuls.example", "Julien Faure", "Psychomotricien"
        ),
        # The ESAT has no administrator in the demo: its instructor's account is
        # opened directly.
        "instructor": _persona(
            User.objects.create_user(
                email="thierry.roux@esat-vallee.example",
                display_name="Thierry Roux",
                kind=User.Kind.PROFESSIONAL,
                organisation=esat,
                job_title="Moniteur d'atelier",
            ),
            "pro-thierry",
        ),
        "decision_maker": _persona(
            User.objects.create_user(
                email="claire.dubois@rhone.example",
                display_name="Claire Dubois",
                kind=User.Kind.DECISION_MAKER,
                job_title="Chargée de mission handicap, Département du Rhône",
            ),
            "decideur-claire",
        ),
    }
    return people


# ---------------------------------------------------------------- situation 1


def _child_alliance(people) -> Alliance:
    """A child oriented by the MDPH, his parents and a medico-social platform. The
    parents want the neighbourhood school and its canteen; the team argues for the
    internal teaching unit and weekly boarding. What they share: that Noé grows well.

    Replayed over a year (`as_of`): the alliance opens and talks twelve months ago,
    its charter is signed by all some eleven months ago, so that its first yearly
    review falls due in about a month; the means and actions follow."""
    # Nine years old today (outside `as_of`, whose clock is a year back): his
    # easy-read pages say "tu".
    noe_born_on = days_ago(round(9.4 * 365)).date()
    with as_of(days_ago(365)):
        alliance = services.create_alliance(
            creator=people["coordinator"],
            title="Noé, 9 ans : grandir et apprendre",
            situation=(
                "Noé a 9 ans. La MDPH l'a orienté vers la plateforme des Tilleuls. Ses parents "
                "souhaitent qu'il reste dans l'école du quartier ; l'équipe propose l'unité "
                "d'enseignement et un internat de semaine. On cherche ensemble ce qui est bon "
                "pour lui."
            ),
            person_name="Noé Martin",
            person_is_protected=True,
            person_born_on=noe_born_on,
        )
        helene = alliance.allies.get(user=people["coordinator"])
        noe = alliance.allies.get(role=Role.PERSON)
        _persona(noe.user, "personne-noe")

        # The coordinator invites the mother, stating her mandate; Noé joins and, as the
        # person, approves his mother, who approves the coordinator. The father records
        # his mandate himself on joining, and Noé approves him too (ADR 0009).
        lea = _invite(
            helene,
            name="Léa Martin",
            role=Role.REPRESENTATIVE,
            slug="parent-lea",
            mandate={"kind": MandateKind.PARENT},
        )
        _join(noe)
        _join(lea, approver=noe)
        services.decide_on_ally(approver=lea, ally=helene, approve=True)
        karim = _invite(lea, name="Karim Martin", role=Role.REPRESENTATIVE, slug="parent-karim")
        services.accept_invitation(ally=karim)
        services.record_mandate(ally=karim, kind=MandateKind.PARENT)
        services.decide_on_ally(approver=noe, ally=karim, approve=True)
        marc = _invite(helene, user=people["teacher"], role=Role.PROFESSIONAL)
        _join(marc, approver=lea)

        # What each one brings and expects.
        recognitions = [
            (
                lea,
                "Je connais Noé mieux que personne : ce qui le rassure, ce qui le fait rire, "
                "ce qui le met en colère.",
                "Qu'on m'écoute quand je dis ce que je vois à la maison, et qu'on ne décide pas "
                "sans nous.",
            ),
            (
                karim,
                "Du temps le mercredi et le soir, et mon regard de père, qui n'est pas "
                "toujours celui de Léa.",
                "Des explications claires sur ce que la plateforme peut faire, sans jargon.",
            ),
            (
                noe,
                "Je suis fort en chansons et je connais le chemin du bus.",
                "Qu'on me demande mon avis à moi aussi.",
            ),
            (
                helene,
                "La connaissance des aides et des dispositifs, et le lien avec la MDPH et l'école.",
                "Qu'on se dise les choses franchement, même quand on n'est pas d'accord.",
            ),
            (
                marc,
                "Des outils pour apprendre à lire autrement, et l'habitude des petits groupes.",
                "Voir Noé aussi en dehors de la classe, pour le connaître vraiment.",
            ),
        ]
        for ally, brings, expects in recognitions:
            services.write_recognition(ally=ally, brings=brings, expects=expects)

    with as_of(days_ago(360)):
        # Statements, each in its author's words.
        def say(ally, kind, text, supported_by=None):
            return services.write_statement(
                ally=ally, kind=kind, text=text, supported_by=supported_by
            )

        grow = say(
            lea,
            INTEREST,
            "Que Noé grandisse bien : qu'il apprenne, qu'il ait des copains "
            "et qu'il soit heureux, à l'école comme à la maison.",
        )
        read = say(
            helene,
            GOAL,
            "Que Noé lise des phrases simples tout seul d'ici la fin de l'année scolaire.",
        )
        friends = say(
            noe, INTEREST, "Je veux rester avec Inès et Lucas à la cantine.", supported_by=lea
        )
        school = say(
            lea,
            MEANS,
            "Noé va à l'école du quartier, en classe ordinaire avec une "
            "AESH, et il mange à la cantine le midi.",
        )
        unit = say(
            marc,
            MEANS,
            "Noé est accueilli dans l'unité d'enseignement de la plateforme, "
            "en petit groupe, quatre jours par semaine.",
        )
        boarding = say(
            helene,
            MEANS,
            "Un internat de semaine, deux nuits, pour travailler les "
            "gestes du quotidien : toilette, habillage, repas.",
        )
        apart = say(karim, CONCERN, "On a peur qu'on mette Noé à part.")
        apart = services.change_statement(
            ally=karim,
            statement=apart,
            kind=CONCERN,
            expected_version=apart.version,
            text="On a peur que Noé soit séparé des enfants du quartier et qu'on le mette à "
            "part, alors qu'il y a sa place.",
        )
        tired = say(
            marc,
            CONCERN,
            "Dans une classe de vingt-cinq, Noé décroche vite : le bruit "
            "le fatigue et il se met en retrait.",
        )
        songs = say(
            lea,
            CAPACITY,
            "Noé retient tout ce qu'on lui chante, et il connaît par cœur les arrêts du bus.",
        )
        satchel = say(
            noe,
            CAPACITY,
            "Je sais faire mon cartable tout seul et je sais mettre la table.",
            supported_by=karim,
        )
        shared_time = say(
            helene,
            MEANS,
            "Des temps partagés : une partie de la semaine à l'école "
            "du quartier, une partie en petit groupe à la plateforme.",
        )

    with as_of(days_ago(355)):
        # Votes: each ally on the others' statements.
        _votes(grow, (karim, AGREE), (noe, AGREE), (helene, AGREE), (marc, AGREE))
        _votes(read, (lea, AGREE), (karim, AGREE), (noe, AGREE), (marc, AGREE))
        _votes(friends, (lea, AGREE), (karim, AGREE), (helene, UNSURE), (marc, PASS))
        _votes(school, (karim, AGREE), (noe, AGREE), (helene, DISAGREE), (marc, DISAGREE))
        _votes(unit, (helene, AGREE), (lea, DISAGREE), (karim, UNSURE), (noe, PASS))
        _votes(boarding, (marc, AGREE), (lea, DISAGREE), (karim, DISAGREE), (noe, DISAGREE))
        _votes(apart, (lea, AGREE), (helene, AGREE), (marc, UNSURE), (noe, PASS))
        _votes(apart, (marc, AGREE))  # Marc changed his mind after the meeting.
        _votes(tired, (helene, AGREE), (lea, AGREE), (karim, AGREE), (noe, PASS))
        _votes(songs, (karim, AGREE), (noe, AGREE), (helene, AGREE), (marc, AGREE))
        _votes(satchel, (lea, AGREE), (karim, AGREE), (helene, AGREE), (marc, AGREE))
        _votes(shared_time, (karim, AGREE), (marc, AGREE), (lea, UNSURE), (noe, PASS))

        # The asymmetry register.
        services.add_asymmetry(
            ally=helene,
            dimension=AsymmetryDimension.DECISION_POWER,
            holders=[lea, karim],
            what_is_held="Les parents exercent l'autorité parentale : rien ne se décide pour Noé "
            "sans eux. La MDPH notifie l'orientation ; la plateforme décide des "
            "admissions.",
            handling="Ce que propose l'équipe reste une proposition, discutée avec les parents "
            "avant tout envoi à la MDPH.",
        )
        services.add_asymmetry(
            ally=lea,
            dimension=AsymmetryDimension.INFORMATION,
            holders=[helene, marc],
            what_is_held="L'équipe a les bilans et les comptes rendus ; nous, on ne les voit pas "
            "toujours.",
            handling="Chaque bilan nous est remis et expliqué avant d'aller dans le dossier.",
        )
        services.add_asymmetry(
            ally=marc,
            dimension=AsymmetryDimension.EXPERTISE,
            holders=[lea, karim, marc],
            what_is_held="Les parents savent ce qui calme Noé et ce qui le fait avancer ; l'équipe "
            "connaît les troubles des apprentissages et les aides possibles.",
            handling="Chaque réunion commence par ce que les parents ont vu depuis la "
            "dernière fois.",
        )
        services.add_asymmetry(
            ally=karim,
            dimension=AsymmetryDimension.TIME,
            holders=[helene, marc],
            what_is_held="Les professionnels sont payés pour être là ; nous, on prend sur notre "
            "travail pour venir aux réunions.",
            handling="Les réunions ont lieu après 17 heures ou le mercredi.",
        )

        # How each one sees the alliance walking.
        _check(helene, "me", "together", "me")  # roped party, at the start
        _check(marc, "together", "me", "together")  # wheelbarrow
        _check(lea, "together", "other", "together")  # hikers
        _check(karim, "me", "together", "together")  # wheelbarrow
        _check(noe, "other", "together", "other")  # roped party

    with as_of(days_ago(345)):
        # The charter: adopted interests, commitments, perimeter, indicators, understanding.
        _charter_edit(services.adopt_interest, lea, statement=grow)
        _charter_edit(services.adopt_interest, helene, statement=read)
        commitments = [
            (
                lea,
                "Je raconte chaque semaine à l'équipe ce que Noé vit à la maison et ce qui "
                "le fatigue.",
            ),
            (
                karim,
                "Je viens aux réunions, même le soir, et j'emmène Noé à ses séances le mercredi.",
            ),
            (noe, "Je dis quand j'en ai marre ou quand j'ai besoin d'une pause."),
            (
                helene,
                "Je prépare avec vous le dossier pour la MDPH et je vous montre tout ce que "
                "j'écris avant de l'envoyer.",
            ),
            (
                marc,
                "J'essaie avec Noé des outils pour la lecture et je vous les montre, pour qu'il "
                "s'en serve aussi à la maison.",
            ),
        ]
        for ally, text in commitments:
            _charter_edit(services.add_commitment, ally, text=text)
        for ally, code, status in [
            (helene, "1.3.3.1", IN_ALLIANCE),  # school life
            (marc, "1.3.3.3", IN_ALLIANCE),  # learning
            (lea, "1.2.1.2", IN_ALLIANCE),  # relations with others
            (lea, "1.3.3.4", PERSON_OWN),  # family life
            (karim, "1.3.4.1", PERSON_OWN),  # social life: the judo club, his friends
            (helene, "1.1.10", WITH_OTHERS),  # health: the paediatrician, the speech therapist
        ]:
            _perimeter(ally, code, status)
        _charter_edit(
            services.add_indicator,
            marc,
            name="Noé lit seul une phrase simple",
            scale_min=0,
            scale_max=10,
            raters=[marc, lea, karim],
        )
        _charter_edit(
            services.add_indicator,
            lea,
            name="Noé est content d'aller en classe",
            scale_min=1,
            scale_max=5,
            raters=[noe, lea, karim, marc],
        )
        _charter_edit(
            services.write_shared_understanding,
            helene,
            text="Noé a 9 ans. Il apprend, il a des copains, il aime son quartier ; le bruit et "
            "les longues journées le fatiguent. Nous voulons tous qu'il grandisse bien, qu'il "
            "apprenne à lire et qu'il garde sa place parmi les enfants de son âge. Nous ne "
            "sommes pas d'accord, aujourd'hui, sur l'école et sur l'internat : ce désaccord "
            "reste sur la table et nous chercherons les moyens ensemble. La famille, les "
            "loisirs et les amis de Noé ne regardent pas la plateforme.",
        )

    with as_of(days_ago(340)):
        # Everyone signs; Léa signs for Noé, which the charter shows.
        for ally in (helene, marc, karim, lea):
            _sign(ally)
        _sign(lea, signee=noe)

        # After the charter, Hélène sees the walk differently.
        _check(helene, "together", "other", "together")  # hikers

    _child_acting(grow, noe=noe, lea=lea, karim=karim, helene=helene, marc=marc)
    return alliance


def _child_acting(grow, *, noe, lea, karim, helene, marc):
    """Once the charter is signed, ten months ago: the school negotiated with a
    dissent kept, a plan where Noé has his roles (the meeting with the school done,
    the pictograms late, the letter to the MDPH ahead), capacities and constraints,
    a journal with one revision."""
    today = timezone.localdate()

    def day(n):
        return today - datetime.timedelta(days=n)

    with as_of(days_ago(305)):
        school = acting.propose_means(
            ally=lea,
            interest_statement_id=grow.pk,
            need_code="1.3.3.1",
            description="École du quartier, en classe ordinaire, avec une AESH et la cantine",
        )
        unit = acting.propose_means(
            ally=marc,
            interest_statement_id=grow.pk,
            need_code="1.3.3.3",
            description="Unité d'enseignement de la plateforme, en petit groupe, quatre jours "
            "par semaine",
        )
        acting.take_stance(ally=lea, option=school, value=SUPPORT)
        acting.take_stance(ally=karim, option=school, value=SUPPORT)
        acting.take_stance(
            ally=noe, option=school, value=SUPPORT, reason="Je veux rester avec Inès et Lucas."
        )
        acting.take_stance(
            ally=helene,
            option=school,
            value=OPPOSE,
            reason="Sans AESH tout le temps, Noé va décrocher.",
        )
        acting.take_stance(
            ally=marc,
            option=school,
            value=OPPOSE,
            reason="Le bruit d'une classe de vingt-cinq le fatigue ; je crains "
            "qu'il se mette en retrait.",
        )
        acting.take_stance(ally=marc, option=unit, value=SUPPORT)
        acting.take_stance(ally=helene, option=unit, value=SUPPORT)
        acting.take_stance(
            ally=lea,
            option=unit,
            value=OPPOSE,
            reason="On a peur qu'il soit mis à part des enfants du quartier.",
        )
        acting.take_stance(
            ally=karim,
            option=unit,
            value=RESERVATIONS,
            reason="Peut-être une demi-journée par semaine, pas quatre jours.",
        )
        acting.take_stance(ally=noe, option=unit, value=OPPOSE, reason="Je veux mon école.")
    with as_of(days_ago(300)):
        acting.take_stance(
            ally=helene,
            option=school,
            value=RESERVATIONS,
            reason="D'accord si l'AESH est là à chaque heure de classe, et si on fait le point "
            "à Noël.",
        )
        # Léa, legal representative, records the decision: it is her consent.
        acting.decide_means(
            ally=lea,
            option=school,
            consent=True,
            expected_version=school.version,
            note="On essaie jusqu'à Noël, puis on fait le point tous ensemble.",
        )
        acting.set_availability(
            ally=helene,
            option=school,
            status=Availability.WAITING,
            since=day(300),
            note="Notification MDPH reçue ; l'AESH n'est pas encore recrutée.",
            expected_version=school.version,
        )
        acting.set_availability(
            ally=marc, option=unit, status=Availability.AVAILABLE, expected_version=unit.version
        )

    school_life = label_of("1.3.3.1")
    with as_of(days_ago(298)):
        call = acting.plan_action(
            ally=helene,
            title="Préparer la rentrée avec l'école du quartier",
            domain_label=school_life,
            means=school,
            due_date=day(275),
            my_role="J'appelle la directrice et je propose une réunion.",
        )
        acting.join_action(
            ally=noe, action=call, role="Je prépare mes questions pour la maîtresse."
        )
        acting.join_action(ally=lea, action=call, role="Je viens à la réunion avec Noé.")
        acting.start_action(ally=helene, action=call, expected_version=call.version)
    with as_of(days_ago(295)):
        for ally, kind, text in [
            (noe, "capacity", "Je sais prendre le bus tout seul jusqu'à l'école."),
            (lea, "constraint", "Je travaille le matin : les réunions, plutôt l'après-midi."),
            (
                helene,
                "constraint",
                "Je suis là le lundi et le jeudi, et j'accompagne quarante familles.",
            ),
            (marc, "capacity", "Je connais des outils pour apprendre à lire avec des images."),
        ]:
            acting.write_capacity(ally=ally, kind=kind, text=text)
    with as_of(days_ago(278)):
        acting.finish_action(ally=lea, action=call, expected_version=call.version)
        meeting = acting.write_journal_entry(
            ally=helene,
            action=call,
            happened="Réunion à l'école avec la directrice, Léa et Noé.",
            emerged="Noé a posé ses trois questions ; la directrice propose qu'il visite la "
            "classe avant la rentrée.",
        )
    with as_of(days_ago(276)):
        acting.revise_journal_entry(
            ally=helene,
            entry=meeting,
            expected_version=meeting.version,
            happened="Réunion à l'école avec la directrice, la future maîtresse, Léa et Noé.",
            emerged=meeting.emerged,
        )

    # The pictograms were to be tried by six weeks ago: still going, late.
    with as_of(days_ago(200)):
        pictos = acting.plan_action(
            ally=marc,
            title="Essayer les pictogrammes pour lire",
            domain_label=label_of("1.3.3.3"),
            due_date=day(45),
            my_role="J'apporte les outils et je les montre à tout le monde.",
        )
        acting.join_action(ally=noe, action=pictos, role="Je montre à papa et maman à la maison.")
    with as_of(days_ago(190)):
        acting.start_action(ally=noe, action=pictos, expected_version=pictos.version)
    with as_of(days_ago(170)):
        acting.write_journal_entry(
            ally=lea,
            action=pictos,
            happened="Noé a montré les pictogrammes à son cousin.",
            emerged="Il veut en faire un pour la cantine.",
        )

    # The AESH is still not recruited: a letter to the MDPH, due in two weeks.
    with as_of(days_ago(6)):
        # Noé has no role here: Léa agrees for him before it starts.
        letter = acting.plan_action(
            ally=helene,
            title="Relancer la MDPH pour le recrutement de l'AESH",
            domain_label=school_life,
            means=school,
            due_date=today + datetime.timedelta(days=14),
            my_role="J'écris à la MDPH et je vous montre le courrier avant de l'envoyer.",
        )
        acting.join_action(ally=karim, action=letter, role="Je signe le courrier avec Hélène.")
        acting.agree_to_action(ally=lea, action=letter)
    with as_of(days_ago(3)):
        acting.write_journal_entry(
            ally=karim, happened="La MDPH a répondu : le recrutement de l'AESH est en cours."
        )


# ---------------------------------------------------------------- situation 2


def _esat_alliance(people) -> Alliance:
    """An ESAT workshop where the workers and their instructor organise the work
    together, and propose reverse duo days to ordinary employers."""
    alliance = services.create_alliance(
        creator=people["instructor"],
        title="Samir et l'atelier : les duos inversés",
        situation=(
            "À l'atelier de conditionnement, Samir et ses collègues veulent accueillir des "
            "salariés d'entreprises ordinaires pour une journée : ce sont les travailleurs qui "
            "leur apprennent le poste."
        ),
        person_name="Samir Benali",
    )
    thierry = alliance.allies.get(user=people["instructor"])
    samir = alliance.allies.get(role=Role.PERSON)
    _persona(samir.user, "personne-samir")
    _join(samir)
    services.decide_on_ally(approver=samir, ally=thierry, approve=True)
    nadia = _invite(samir, name="Nadia Benali", role=Role.RELATIVE, slug="proche-nadia")
    _join(nadia, approver=samir)
    julie = _invite(samir, name="Julie Fontaine", role=Role.PEER, slug="pair-julie")
    _join(julie, approver=samir)

    for ally, brings, expects in [
        (
            samir,
            "Je connais les gestes du poste de conditionnement et je sais les montrer.",
            "Qu'on me fasse confiance pour organiser l'accueil.",
        ),
        (
            thierry,
            "Le lien avec les entreprises clientes et l'organisation de la production.",
            "Que les travailleurs me disent ce qu'ils veulent vraiment, même si ça change mes "
            "plannings.",
        ),
        (
            nadia,
            "Je connais Samir depuis toujours et je peux l'aider à préparer ce qu'il dira.",
            "Être tenue au courant, sans prendre sa place.",
        ),
        (
            julie,
            "J'ai déjà fait visiter l'atelier à des stagiaires.",
            "Qu'on fasse les duos à deux, Samir et moi.",
        ),
    ]:
        services.write_recognition(ally=ally, brings=brings, expects=expects)

    def say(ally, kind, text):
        return services.write_statement(ally=ally, kind=kind, text=text)

    real_work = say(
        samir,
        INTEREST,
        "Montrer que ce qu'on fait à l'atelier, c'est un vrai "
        "travail, avec des gestes qu'on a appris.",
    )
    duos = say(
        samir,
        GOAL,
        "Faire venir des salariés d'entreprises ordinaires une journée à "
        "l'atelier, et c'est nous qui leur apprenons le poste : des duos "
        "inversés.",
    )
    skill = say(
        samir, CAPACITY, "Je sais régler la filmeuse et expliquer le geste sans aller trop vite."
    )
    # Samir says it aloud too: his own voice on his own words (ADR 0019).
    voice_notes.record_statement_voice_note(
        ally=samir, statement=skill, audio=tone_wav(3.0), expected_version=0
    )
    start_small = say(
        thierry,
        MEANS,
        "Commencer au printemps avec deux entreprises qui nous connaissent déjà, un duo par mois.",
    )
    orders = say(
        thierry,
        CONCERN,
        "Les commandes des clients doivent partir à l'heure ; un "
        "jour de duo, l'atelier produit moins.",
    )
    welcome = say(
        julie,
        MEANS,
        "Les travailleurs préparent l'accueil eux-mêmes : le mot de "
        "bienvenue, la visite et la fiche du poste.",
    )
    everyone = say(
        samir,
        MEANS,
        "Ouvrir les duos inversés à toutes les entreprises de la zone dès cette année.",
    )
    fatigue = say(
        nadia,
        CONCERN,
        "J'ai peur que Samir se fatigue s'il ajoute l'accueil des visiteurs à son travail.",
    )
    contacts = say(
        thierry,
        CAPACITY,
        "Je connais les responsables de deux entreprises du parc "
        "d'activités et je peux organiser les rencontres.",
    )

    _votes(real_work, (thierry, AGREE), (nadia, AGREE), (julie, AGREE))
    _votes(duos, (thierry, AGREE), (julie, AGREE), (nadia, AGREE))
    _votes(skill, (thierry, AGREE), (julie, AGREE))
    _votes(start_small, (samir, AGREE), (julie, AGREE), (nadia, PASS))
    _votes(orders, (samir, UNSURE), (julie, AGREE), (nadia, PASS))
    _votes(welcome, (thierry, AGREE), (samir, AGREE), (nadia, AGREE))
    _votes(everyone, (thierry, DISAGREE), (julie, AGREE), (nadia, UNSURE))
    _votes(fatigue, (samir, DISAGREE), (thierry, UNSURE), (julie, PASS))
    _votes(contacts, (samir, AGREE), (julie, AGREE), (nadia, AGREE))

    services.add_asymmetry(
        ally=samir,
        dimension=AsymmetryDimension.EXPERTISE,
        holders=[samir, julie],
        what_is_held="Les gestes du poste, c'est nous qui les faisons tous les jours ; "
        "Thierry les connaît, mais pas à notre vitesse.",
        handling="Pendant les duos, ce sont les travailleurs qui forment ; Thierry reste en "
        "retrait.",
    )
    services.add_asymmetry(
        ally=thierry,
        dimension=AsymmetryDimension.MANDATE,
        holders=[thierry],
        what_is_held="Je réponds devant la direction et les clients des délais de production.",
        handling="Les jours de duo sont choisis ensemble, dans les semaines où les commandes "
        "le permettent.",
    )
    services.add_asymmetry(
        ally=julie,
        dimension=AsymmetryDimension.CUSTOM,
        custom_dimension="Regard des autres",
        holders=[thierry, nadia],
        what_is_held="Dehors, on nous voit comme des gens qu'on occupe, pas comme des "
        "travailleurs.",
        handling="On raconte nous-mêmes notre métier aux visiteurs.",
    )

    _check(samir, "me", "me", "together")  # hikers
    _check(thierry, "together", "together", "me")  # roped party
    _check(julie, "together", "together", "together")
    _check(nadia, "other", "other", "together")

    # The charter is being written: two interests adopted, everyone committed, one
    # signature so far.
    _charter_edit(services.adopt_interest, samir, statement=real_work)
    _charter_edit(services.adopt_interest, thierry, statement=duos)
    for ally, text in [
        (samir, "Je prépare avec Julie la fiche du poste pour les visiteurs."),
        (
            thierry,
            "J'appelle les deux entreprises avant la fin du mois et je reviens vers vous "
            "avec leurs réponses.",
        ),
        (julie, "J'accueille les visiteurs avec Samir et je fais la visite de l'atelier."),
        (nadia, "Je demande à Samir comment ça se passe, sans décider pour lui."),
    ]:
        _charter_edit(services.add_commitment, ally, text=text)
    for ally, code, status in [
        (samir, "1.3.3.2", IN_ALLIANCE),  # work
        (julie, "1.3.3.5", IN_ALLIANCE),  # learning to be a peer helper
        (thierry, "1.3.4.2", WITH_OTHERS),  # getting to the companies: the transport service
        (samir, "1.3.2.1", PERSON_OWN),  # his home
    ]:
        _perimeter(ally, code, status)
    _charter_edit(
        services.add_indicator,
        samir,
        name="Les visiteurs repartent avec une autre idée du travail en ESAT",
        scale_min=0,
        scale_max=10,
        raters=[samir, julie, thierry],
    )
    _sign(samir)
    return alliance


# ---------------------------------------------------------------- entry point


def load_demo() -> bool:
    """Builds the demo in one transaction. Returns False (and changes nothing) when
    the demo is already there."""
    with transaction.atomic(), _no_outgoing_mail():
        if demo_loaded():
            return False
        people = _accounts()
        _child_alliance(people)
        living_esat(people, _esat_alliance)
        load_first_access(people)
        load_report_requests(people)
        build_reports(people)
        load_weather()
        load_documents()
        load_meetings()
        neighbourhood = load_collectives()
        compute_demo_results()
        describe_demo_groups()
        load_proposal(neighbourhood)
        load_closed_report_request(people)
        load_member_invitations(neighbourhood)
        load_caseload(people)
        load_attachments()
        # The consent first: Samir's archive holds it.
        load_dui_consent()
        load_privacy()
        load_api_client(people)
    return True
