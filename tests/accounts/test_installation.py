"""Starting an installation outside the demo: `alliance create_organisation` and
`alliance add_decision_maker`."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from alliance.accounts.models import Organisation, SignInSecret, User
from alliance.audit.models import Action, AuditEntry
from tests.factories import OrganisationFactory, UserFactory

LINK = re.compile(r"https?://\S+/sign-in/link/\S+")


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def start(*extra):
    return run(
        "create_organisation",
        "CCAS de Vénissieux",
        "--kind",
        "service",
        "--territory",
        "69 Rhône",
        "--admin-email",
        "direction@ccas.example",
        "--admin-name",
        "Nadia Benali",
        "--admin-job-title",
        "Directrice",
        *extra,
    )


@pytest.mark.django_db(transaction=True)
def test_the_first_organisation_and_its_admin_who_alone_gets_the_link():
    out = start()
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.kind, organisation.territory) == (
        "CCAS de Vénissieux",
        "service",
        "69 Rhône",
    )
    admin = User.objects.get(email="direction@ccas.example")
    assert admin.is_professional and admin.is_org_admin
    assert admin.organisation == organisation
    assert not admin.has_usable_password()

    # The link goes to the admin's own address, and only there.
    (email,) = mail.outbox
    assert email.to == ["direction@ccas.example"]
    assert LINK.search(email.body)
    assert "/sign-in/link/" not in out
    assert "direction@ccas.example" in out
    assert SignInSecret.objects.filter(user=admin, kind=SignInSecret.Kind.LINK).count() == 1

    actions = set(AuditEntry.objects.values_list("action", "actor_label"))
    assert (Action.ORGANISATION_CREATED, "operator (command line)") in actions
    assert (Action.PROFESSIONAL_ADDED, "operator (command line)") in actions


@pytest.mark.django_db(transaction=True)
def test_the_emailed_link_signs_the_admin_in(client):
    start()
    path = LINK.search(mail.outbox[0].body).group(0).split("://", 1)[1]
    path = path[path.index("/") :]
    response = client.post(path)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(is_org_admin=True).pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "club"], "invalid choice"),
        (["--admin-email", "not-an-email"], "email: Saisissez une adresse de courriel valide"),
        (["--admin-name", "  "], "display_name: Ce champ est obligatoire"),
    ],
)
def test_bad_input_creates_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        start(*args)
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_address_already_in_use_creates_nothing():
    UserFactory(email="Direction@CCAS.example")
    with pytest.raises(CommandError, match="Un compte utilise déjà cette adresse"):
        start()
    assert not Organisation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_decision_maker_of_an_authority():
    town_hall = OrganisationFactory(name="Mairie de Villeurbanne")
    out = run(
        "add_decision_maker",
        "--email",
        "elu@villeurbanne.example",
        "--name",
        "Isabelle Morin",
        "--organisation",
        str(town_hall.pk),
    )
    user = User.objects.get(email="elu@villeurbanne.example")
    assert user.is_decision_maker
    assert user.organisation == town_hall
    assert not user.is_org_admin
    (email,) = mail.outbox
    assert email.to == ["elu@villeurbanne.example"]
    assert "/sign-in/link/" not in out
    assert AuditEntry.objects.filter(action=Action.DECISION_MAKER_ADDED, target_id=user.pk).exists()


@pytest.mark.django_db
def test_a_decision_maker_of_an_unknown_organisation_is_refused():
    with pytest.raises(CommandError, match="No organisation has the id 999"):
        run("add_decision_maker", "--email", "a@b.example", "--name", "A", "--organisation", "999")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_commands_speak_french_whatever_language_the_process_had():
    # A worker thread may keep English active after an earlier request in English.
    translation.activate("en")
    try:
        UserFactory(email="Direction@CCAS.example")
        with pytest.raises(CommandError, match="Un compte utilise déjà cette adresse"):
            start()
        assert translation.get_language() == "en"
    finally:
        translation.deactivate()
