"""Starting an alliance from a DUI bundle: the use case and its pages (ADR 0031)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.alliances import services
from alliance.alliances.models import (
    Alliance,
    Ally,
    AllyInvitation,
    PerimeterStatus,
    Role,
    Statement,
)
from alliance.alliances.services import accept_invitation
from alliance.audit.models import Action, AuditEntry
from alliance.interop.dui_reading import MAX_BYTES, read_bundle
from alliance.interop.importing import Invitation, start_alliance_from_dui
from tests.factories import UserFactory
from tests.interop import bundles

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional():
    return UserFactory(professional=True, display_name="Inès Morel")


def _start(professional, **changes):
    arguments = {
        "professional": professional,
        "content": read_bundle(bundles.raw()),
        "title": "Les journées de Jeanne",
        "person_is_protected": False,
        "invitations": [Invitation(0, Role.RELATIVE, "claire@example.org")],
    } | changes
    return start_alliance_from_dui(**arguments)


def test_the_alliance_starts_with_the_person_invited_and_the_needs_in_its_perimeter(professional):
    alliance = _start(professional)
    assert alliance.organisation == professional.organisation
    person = alliance.allies.get(role=Role.PERSON)
    assert (person.user.display_name, str(person.user.born_on)) == ("Jeanne L.", "1947-04-03")
    creator = alliance.allies.get(user=professional)
    assert (creator.role, creator.status) == (Role.PROFESSIONAL, Ally.Status.AWAITING_APPROVAL)
    # Only the relative the professional ticked; the DUI's professional is not invited.
    invitation = alliance.invitations.get()
    assert (invitation.display_name, invitation.email, invitation.role) == (
        "Claire L.",
        "claire@example.org",
        Role.RELATIVE,
    )
    assert alliance.allies.count() == 2
    perimeter = alliance.charters.get().perimeter.order_by("domain_code")
    assert [(e.domain_code, e.status) for e in perimeter] == [
        ("1.2.1.3", PerimeterStatus.IN_ALLIANCE),
        ("1.3.3.4", PerimeterStatus.IN_ALLIANCE),
    ]


def test_the_words_are_the_professional_s_marked_with_their_source_and_author(professional):
    alliance = _start(professional)
    creator = alliance.allies.get(user=professional)
    rows = [
        (s.kind, s.text, s.author_id, s.source, s.source_author, s.source_from_person)
        for s in alliance.statements.all()
    ]
    assert rows == [
        (
            "interest",
            "Garder la main sur l'organisation de mes journées",
            creator.pk,
            "dui",
            "Usager",
            True,
        ),
        ("interest", "Maintenir le lien familial (visios)", creator.pk, "dui", "Famille", False),
        ("interest", "Participer à la chorale", creator.pk, "dui", "Mme Amandine Roux", False),
        (
            "goal",
            "Marcher jusqu'au jardin chaque jour avec un appui",
            creator.pk,
            "dui",
            "Mme Amandine Roux",
            False,
        ),
    ]
    assert {s.source_label for s in alliance.statements.all()} == {
        "EHPAD Les Tilleuls · 3480787529/123456789-PP-1"
    }
    # Nothing is the person's: the person wrote nothing yet.
    assert not alliance.statements.filter(author__role=Role.PERSON).exists()


def test_the_import_is_in_the_trail(professional):
    alliance = _start(professional)
    imported = AuditEntry.objects.get(action=Action.DUI_IMPORTED)
    assert (imported.actor, imported.alliance_id) == (professional, alliance.pk)
    assert imported.detail == {
        "source": "EHPAD Les Tilleuls · 3480787529/123456789-PP-1",
        "needs": 2,
        "expectations": 3,
        "objectives": 1,
        "invited": 1,
    }
    assert sorted(
        AuditEntry.objects.filter(action=Action.STATEMENT_IMPORTED).values_list(
            "target_id", flat=True
        )
    ) == sorted(alliance.statements.values_list("pk", flat=True))


def test_only_a_professional_of_an_organisation_imports():
    for user in (UserFactory(), UserFactory(professional=True, organisation=None)):
        with pytest.raises(PermissionDenied):
            _start(user)
    assert not Alliance.objects.exists()


def test_a_representative_of_a_person_not_protected_is_refused_and_nothing_is_created(professional):
    with pytest.raises(ValidationError):
        _start(professional, invitations=[Invitation(0, Role.REPRESENTATIVE)])
    with pytest.raises(ValidationError):
        _start(professional, invitations=[Invitation(5, Role.RELATIVE)])
    with pytest.raises(ValidationError):
        _start(professional, invitations=[Invitation(0, Role.PERSON)])
    assert not Alliance.objects.exists() and not Statement.objects.exists()
    assert not AllyInvitation.objects.exists()


# ---------------------------------------------------------------- pages


def _upload(client, raw, name="dui.json"):
    return client.post(reverse("interop_import:upload"), {"bundle": SimpleUploadedFile(name, raw)})


def test_a_professional_uploads_reviews_and_creates(client, professional):
    client.force_login(professional)
    assert (
        "interop_import:upload"
        and reverse("interop_import:upload")
        in client.get(reverse("alliances:create")).content.decode()
    )
    response = _upload(client, bundles.raw())
    assert response.status_code == 302 and response["Location"] == reverse("interop_import:review")
    assert not Alliance.objects.exists()
    page = client.get(reverse("interop_import:review"))
    text = page.content.decode()
    assert page.status_code == 200
    for shown in ("Jeanne L.", "Claire L.", "Besoins pour la mobilité", "Participer à la chorale"):
        assert shown in text
    assert "EHPAD Les Tilleuls" in text
    response = client.post(
        reverse("interop_import:review"),
        {
            "title": "Les journées de Jeanne",
            "person_email": "",
            "invite_0": "on",
            "role_0": "relative",
            "email_0": "claire@example.org",
            "role_1": "professional",
            "email_1": "",
        },
    )
    alliance = Alliance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("alliances:overview", args=[alliance.pk])
    assert alliance.invitations.count() == 1 and alliance.statements.count() == 4
    # The review is used once: going back shows the upload again.
    assert client.get(reverse("interop_import:review"))["Location"] == reverse(
        "interop_import:upload"
    )


def test_the_review_asks_a_role_for_whoever_is_ticked(client, professional):
    client.force_login(professional)
    _upload(client, bundles.raw())
    response = client.post(
        reverse("interop_import:review"),
        {"title": "Jeanne", "invite_0": "on", "role_0": "", "role_1": ""},
    )
    assert response.status_code == 400
    assert "Choisissez le rôle de Claire L." in response.content.decode()
    assert not Alliance.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<xml/>", "pas un fichier FHIR en JSON"),
        (b'{"resourceType": "Patient"}', "pas un bundle FHIR"),
        (b'{"resourceType": "Bundle", "type": "collection"}', "ne nomme aucune personne"),
    ],
)
def test_a_file_that_is_not_a_bundle_is_refused_in_french_and_nothing_is_kept(
    client, professional, raw, message
):
    client.force_login(professional)
    response = _upload(client, raw)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "dui_import" not in client.session and not Alliance.objects.exists()


def test_a_file_too_big_is_refused_before_it_is_read(client, professional):
    client.force_login(professional)
    response = _upload(client, b" " * (MAX_BYTES + 70 * 1024))
    assert response.status_code == 413
    assert "trop gros" in response.content.decode()


def test_people_who_are_not_professionals_of_an_organisation_get_a_403(client):
    client.force_login(UserFactory())
    assert client.get(reverse("interop_import:upload")).status_code == 403
    assert client.get(reverse("interop_import:review")).status_code == 403


def test_the_person_sees_where_the_words_come_from_and_may_make_them_theirs(client, professional):
    alliance = _start(professional, person_is_protected=False, invitations=[])
    person = accept_invitation(ally=alliance.allies.get(role=Role.PERSON))
    person.user.easy_read = False
    person.user.save(update_fields=["easy_read"])
    client.force_login(person.user)
    text = client.get(reverse("alliances:overview", args=[alliance.pk])).content.decode()
    assert "Importé du dossier de l" in text
    assert "écrit là-bas par Mme Amandine Roux" in text
    mine = alliance.statements.get(source_from_person=True)
    link = reverse("alliances:statement_new", args=[alliance.pk]) + f"?from={mine.pk}"
    assert link in text
    form = client.get(link).content.decode()
    assert "Garder la main sur l&#x27;organisation de mes journées" in form


def _many(n):
    """The guide's bundle with n more relatives and n more expectations."""
    document = bundles.bundle()
    for i in range(n):
        document["entry"].append(
            {
                "fullUrl": f"RelatedPerson/r{i}",
                "resource": {
                    "resourceType": "RelatedPerson",
                    "id": f"r{i}",
                    "patient": {"reference": "Patient/jeanne"},
                    "name": [{"text": f"Proche {i}"}],
                },
            }
        )
        document["entry"].append(
            {
                "fullUrl": f"Goal/g{i}",
                "resource": {
                    "resourceType": "Goal",
                    "id": f"g{i}",
                    "lifecycleStatus": "active",
                    "description": {"text": f"Attente {i}"},
                    "subject": {"reference": "Patient/jeanne"},
                },
            }
        )
    return bundles.raw(document)


def test_the_pages_cost_the_same_for_a_small_or_a_large_bundle(client, professional):
    client.force_login(professional)
    counts = []
    for raw in (bundles.raw(), _many(30)):
        with CaptureQueriesContext(connection) as upload:
            assert _upload(client, raw).status_code == 302
        with CaptureQueriesContext(connection) as review:
            assert client.get(reverse("interop_import:review")).status_code == 200
        counts.append((len(upload), len(review)))
    assert counts[0] == counts[1]
    # The session and its user, the session check, django-otp's device, the session
    # saved: nothing reads the database for what the bundle holds.
    assert max(counts[0]) <= 7


def test_only_imported_words_prefill_the_person_s_own_statement(client, professional):
    alliance = _start(professional, invitations=[])
    person = accept_invitation(ally=alliance.allies.get(role=Role.PERSON))
    own = services.write_statement(ally=person, kind="concern", text="Le bruit du soir")
    client.force_login(person.user)
    new = reverse("alliances:statement_new", args=[alliance.pk])
    form = client.get(f"{new}?from={own.pk}").content.decode()
    assert "Le bruit du soir" not in form
    assert client.get(f"{new}?from=999999").status_code == 404
    # What the person saves from the DUI's words is theirs, with no source mark.
    imported = alliance.statements.get(source_from_person=True)
    client.post(f"{new}?from={imported.pk}", {"kind": "interest", "text": "Choisir mes journées"})
    mine = alliance.statements.get(author=person, text="Choisir mes journées")
    assert (mine.source, mine.source_author, mine.source_from_person) == ("", "", False)
    assert imported.pk != mine.pk


def test_a_review_kept_in_another_shape_sends_back_to_the_upload(client, professional):
    client.force_login(professional)
    session = client.session
    session["dui_import"] = {"person": "Jeanne"}
    session.save()
    response = client.get(reverse("interop_import:review"))
    assert response["Location"] == reverse("interop_import:upload")
    assert "dui_import" not in client.session


def test_the_person_reads_in_the_trail_that_the_alliance_came_from_the_dui(client, professional):
    alliance = _start(professional, invitations=[])
    person = accept_invitation(ally=alliance.allies.get(role=Role.PERSON))
    person.user.easy_read = False
    person.user.save(update_fields=["easy_read"])
    client.force_login(person.user)
    text = client.get(reverse("alliances:trail", args=[alliance.pk])).content.decode()
    assert "a démarré l&#x27;alliance depuis le dossier de l&#x27;établissement" in text
    assert "a importé une déclaration du dossier de l&#x27;établissement" in text
