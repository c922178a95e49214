"""Ten months in the life of Samir's ESAT alliance, replayed through the use cases
with the demo clock: the charter signed by everyone, a means negotiation where a
reservation is kept beside the decision, actions done and one late, a journal
with a revised entry, position checks before and after, and a review held two
months ago where each ally wrote their conclusion. It ends today with a
few things waiting for the personas on their home page and in their notifications.
The readings and the weather of the same months are `weather.py`'s."""

import datetime

from django.utils import timezone

from alliance.acting import reminders
from alliance.acting import services as acting
from alliance.acting.models import StanceValue
from alliance.alliances import services
from alliance.alliances.models import Alliance, Role
from alliance.alliances.needs import label_of

from .clock import as_of, days_ago

SUPPORT, RESERVATIONS, OPPOSE = StanceValue.SUPPORT, StanceValue.RESERVATIONS, StanceValue.OPPOSE
WORK = "1.3.3.2"  # SERAFIN-PH: work, in the alliance's perimeter


def living_esat(people, build) -> Alliance:
    """Builds the ESAT alliance (`build(people)`) ten months ago, then lives on."""
    today = timezone.localdate()

    def day(n):
        return today - datetime.timedelta(days=n)

    with as_of(days_ago(305)):
        alliance = build(people)
    allies = {a.role: a for a in alliance.allies.select_related("user")}
    samir, nadia = allies[Role.PERSON], allies[Role.RELATIVE]
    julie, thierry = allies[Role.PEER], allies[Role.PROFESSIONAL]

    with as_of(days_ago(300)):
        for ally in (thierry, julie, nadia):
            charter = services.current_charter(alliance)
            services.sign_charter(ally=ally, charter=charter, expected_revision=charter.revision)

    duos = next(i for i in acting.adopted_interests(alliance) if "duos" in i.text)
    with as_of(days_ago(290)):
        two = acting.propose_means(
            ally=thierry,
            interest_statement_id=duos.statement_id,
            need_code=WORK,
            description="Deux entreprises du parc d'activités, un duo par mois dès le printemps",
        )
        all_zone = acting.propose_means(
            ally=samir,
            interest_statement_id=duos.statement_id,
            need_code=WORK,
            description="Des duos avec toutes les entreprises de la zone dès cette année",
        )
    with as_of(days_ago(288)):
        acting.take_stance(ally=samir, option=two, value=SUPPORT)
        acting.take_stance(ally=julie, option=two, value=SUPPORT)
        acting.take_stance(ally=thierry, option=two, value=SUPPORT)
        acting.take_stance(
            ally=nadia,
            option=two,
            value=RESERVATIONS,
            reason="D'accord, mais qu'on garde une journée calme après chaque duo : Samir "
            "rentre fatigué.",
        )
        acting.take_stance(ally=samir, option=all_zone, value=SUPPORT)
        acting.take_stance(ally=julie, option=all_zone, value=SUPPORT)
        acting.take_stance(
            ally=thierry,
            option=all_zone,
            value=OPPOSE,
            reason="Les commandes doivent partir à l'heure : un duo par semaine, l'atelier "
            "ne tient pas.",
        )
    with as_of(days_ago(285)):
        acting.take_stance(
            ally=samir,
            option=all_zone,
            value=RESERVATIONS,
            reason="On commence à deux entreprises, et on ouvre aux autres l'an prochain.",
        )
        acting.decide_means(
            ally=samir,
            option=two,
            consent=True,
            expected_version=two.version,
            note="On commence au printemps ; la journée calme après chaque duo est notée.",
        )
        acting.set_availability(
            ally=thierry, option=two, status="available", expected_version=two.version
        )
        acting.set_availability(
            ally=thierry,
            option=all_zone,
            status="waiting",
            since=day(285),
            note="Pas encore de convention avec le club des entreprises de la zone.",
            expected_version=all_zone.version,
        )

    work = label_of(WORK)
    with as_of(days_ago(280)):
        sheet = acting.plan_action(
            ally=samir,
            title="Écrire la fiche du poste de conditionnement pour les visiteurs",
            domain_label=work,
            my_role="J'écris la fiche avec mes mots",
            due_date=day(255),
            means=two,
        )
        acting.join_action(ally=julie, action=sheet, role="Je relis avec Samir")
        calls = acting.plan_action(
            ally=thierry,
            title="Appeler les deux entreprises du parc d'activités",
            domain_label=work,
            my_role="J'appelle les responsables",
            due_date=day(250),
            means=two,
        )
        acting.join_action(ally=samir, action=calls, role="Je dis ce que je veux leur montrer")
        first = acting.plan_action(
            ally=julie,
            title="Premier duo inversé avec Cartonnages du Val",
            domain_label=work,
            my_role="J'accueille le visiteur avec Samir",
            due_date=day(200),
            means=two,
        )
        acting.join_action(ally=samir, action=first, role="J'apprends le poste au visiteur")
        acting.start_action(ally=samir, action=sheet, expected_version=sheet.version)
    with as_of(days_ago(258)):
        acting.finish_action(ally=julie, action=sheet, expected_version=sheet.version)
        acting.start_action(ally=thierry, action=calls, expected_version=calls.version)
    with as_of(days_ago(247)):
        acting.finish_action(ally=thierry, action=calls, expected_version=calls.version)
        acting.write_journal_entry(
            ally=thierry,
            action=calls,
            happened="Les deux entreprises disent oui. Cartonnages du Val envoie une "
            "comptable en mai, la Biscuiterie attend l'automne.",
            emerged="Elles demandent une fiche du poste avant de venir : celle de Samir "
            "tombe à pic.",
        )
    with as_of(days_ago(203)):
        acting.start_action(ally=julie, action=first, expected_version=first.version)
    with as_of(days_ago(199)):
        acting.finish_action(ally=samir, action=first, expected_version=first.version)
        entry = acting.write_journal_entry(
            ally=samir,
            action=first,
            happened="La comptable a réglé la filmeuse toute seule à la fin de la matinée.",
            emerged="Elle a dit qu'elle ne savait pas que c'était si précis.",
        )
        acting.write_journal_entry(
            ally=julie,
            action=first,
            happened="J'ai fait la visite ; on a mangé ensemble à la cantine de l'ESAT.",
        )
    with as_of(days_ago(197)):
        acting.revise_journal_entry(
            ally=samir,
            entry=entry,
            happened="La comptable a réglé la filmeuse toute seule à la fin de la matinée. "
            "Moi, j'ai expliqué sans aller trop vite.",
            emerged="Elle a dit qu'elle ne savait pas que c'était si précis. Elle veut revenir "
            "avec un collègue.",
            expected_version=entry.version,
        )
        services.record_position_check(
            ally=nadia, chooses_path="together", sets_pace="other", walks_ahead="together"
        )

    with as_of(days_ago(90)):
        report = acting.plan_action(
            ally=thierry,
            title="Faire le bilan des duos avec les deux entreprises",
            domain_label=work,
            my_role="Je réunis les responsables",
            due_date=day(40),
        )
        acting.join_action(ally=samir, action=report, role="Je raconte ce que j'ai vu")
        acting.start_action(ally=thierry, action=report, expected_version=report.version)

    with as_of(days_ago(60)):
        review = acting.open_review(ally=thierry)
        for ally, text in [
            (
                samir,
                "Les duos, ça marche : les visiteurs repartent en disant que c'est un vrai "
                "métier. Je veux continuer, et la journée calme après m'aide.",
            ),
            (
                thierry,
                "Un duo par mois tient avec les commandes. L'an prochain on peut essayer une "
                "troisième entreprise.",
            ),
            (julie, "J'ai appris à faire la visite. Je voudrais former un autre collègue."),
            (
                nadia,
                "Samir est moins fatigué depuis qu'on garde la journée calme. Je reste attentive.",
            ),
        ]:
            acting.write_conclusion(
                ally=ally, review=review, author=ally, text=text, expected_version=0
            )
        services.record_position_check(
            ally=nadia, chooses_path="together", sets_pace="together", walks_ahead="together"
        )

    with as_of(days_ago(2)):
        welcome = acting.plan_action(
            ally=samir,
            title="Préparer le mot de bienvenue du duo de décembre",
            domain_label=work,
            my_role="J'écris le mot",
            due_date=today + datetime.timedelta(days=1),
        )
        acting.join_action(ally=julie, action=welcome, role="Je le lis avec Samir")
        acting.propose_means(
            ally=julie,
            interest_statement_id=duos.statement_id,
            need_code=WORK,
            description="Un duo avec les agents de la mairie",
        )
    # Today's reminders: the review of the results is late, the welcome is due tomorrow.
    reminders.send_reminders(today)
    return alliance
