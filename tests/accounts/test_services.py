"""Accounts: password lockout, single-use sign-in links and codes, organisation admins."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.accounts import services
from alliance.accounts.limits import progressive_delay
from alliance.accounts.models import SignInSecret, User
from alliance.audit.models import Action, AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LINK, CODE = SignInSecret.Kind.LINK, SignInSecret.Kind.CODE


def token_of(link_path):
    return link_path.rstrip("/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------- password and lockout


def test_password_sign_in(professional):
    assert (
        services.check_password_sign_in(email=professional.email.upper(), password=PASSWORD)
        == professional
    )
    assert authenticate(email=professional.email, password=PASSWORD) == professional
    assert services.check_password_sign_in(email="nobody@example.org", password=PASSWORD) is None
    assert services.check_password_sign_in(email=professional.email, password="") is None


def test_progressive_delay_doubles_after_the_free_failures_up_to_the_cap():
    delays = [progressive_delay(n, free=3, first=1, cap=300) for n in range(1, 15)]
    assert delays == [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert progressive_delay(10_000, free=3, first=1, cap=300) == 300


def test_failures_delay_the_next_attempt_even_with_the_right_password(professional, settings):
    settings.ALLIANCE_SIGN_IN_FREE_FAILURES = 2
    for _attempt in range(2):
        assert services.check_password_sign_in(email=professional.email, password="no") is None
    professional.refresh_from_db()
    assert professional.failed_sign_ins == 2 and not professional.is_sign_in_delayed()

    assert services.check_password_sign_in(email=professional.email, password="no") is None
    professional.refresh_from_db()
    expected = timezone.now() + timedelta(seconds=settings.ALLIANCE_SIGN_IN_DELAY_SECONDS)
    assert abs(professional.sign_in_delayed_until - expected) < timedelta(seconds=5)
    # In the delay: refused without even being checked, so it counts no failure.
    assert services.check_password_sign_in(email=professional.email, password=PASSWORD) is None
    assert authenticate(email=professional.email, password=PASSWORD) is None
    professional.refresh_from_db()
    assert professional.failed_sign_ins == 3
    actions = list(AuditEntry.objects.filter(actor=professional).values_list("action", flat=True))
    assert actions.count(Action.SIGN_IN_FAILED) == 3
    assert actions.count(Action.SIGN_IN_DELAYED) == 1


def test_after_the_delay_the_right_password_opens_and_signing_in_forgets_the_failures(
    professional, settings
):
    for _attempt in range(settings.ALLIANCE_SIGN_IN_FREE_FAILURES + 3):
        User.objects.filter(pk=professional.pk).update(sign_in_delayed_until=None)
        services.check_password_sign_in(email=professional.email, password="no")
    User.objects.filter(pk=professional.pk).update(
        sign_in_delayed_until=timezone.now() - timedelta(seconds=1)
    )
    user = services.check_password_sign_in(email=professional.email, password=PASSWORD)
    assert user == professional
    services.note_sign_in(user)
    professional.refresh_from_db()
    assert (professional.failed_sign_ins, professional.sign_in_delayed_until) == (0, None)


def test_inactive_account_cannot_sign_in(professional):
    User.objects.filter(pk=professional.pk).update(is_active=False)
    assert services.check_password_sign_in(email=professional.email, password=PASSWORD) is None


# ---------------------------------------------------------------- links and codes


def test_sign_in_link_is_single_use(individual):
    link = services.issue_sign_in_link(user=individual)
    secret = SignInSecret.objects.get()
    assert secret.secret_hash != token_of(link)  # only the hash is stored
    assert services.redeem_sign_in_secret(secret=token_of(link), kind=LINK) == individual
    with pytest.raises(ValidationError):
        services.redeem_sign_in_secret(secret=token_of(link), kind=LINK)


def test_sign_in_link_expires(individual):
    link = services.issue_sign_in_link(user=individual, days=1)
    SignInSecret.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as error:
        services.redeem_sign_in_secret(secret=token_of(link), kind=LINK)
    assert error.value.code == "invalid_secret"
    assert SignInSecret.objects.get().used_at is None


def test_link_token_is_not_a_code(individual):
    link = services.issue_sign_in_link(user=individual)
    with pytest.raises(ValidationError):
        services.redeem_sign_in_secret(secret=token_of(link), kind=CODE)


def test_sign_in_code_is_single_use_and_forgiving_in_format(individual):
    code = services.issue_sign_in_code(user=individual)
    assert len(code) == 11 and code[5] == "-"
    assert not set(code.replace("-", "")) & set("01OIL")
    typed = " " + code.lower().replace("-", " ") + " "
    assert services.redeem_sign_in_secret(secret=typed, kind=CODE) == individual
    with pytest.raises(ValidationError):
        services.redeem_sign_in_secret(secret=code, kind=CODE)


def test_sign_in_code_expires(individual, settings):
    code = services.issue_sign_in_code(user=individual)
    secret = SignInSecret.objects.get()
    expected = timezone.now() + timedelta(minutes=settings.ALLIANCE_SIGN_IN_CODE_MINUTES)
    assert abs(secret.expires_at - expected) < timedelta(seconds=30)
    SignInSecret.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.redeem_sign_in_secret(secret=code, kind=CODE)


def test_wrong_code_and_deactivated_user_are_refused(individual):
    code = services.issue_sign_in_code(user=individual)
    with pytest.raises(ValidationError):
        services.redeem_sign_in_secret(secret="ABCDE-FGHJK", kind=CODE)
    User.objects.filter(pk=individual.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        services.redeem_sign_in_secret(secret=code, kind=CODE)


def test_email_code_for_a_known_address(individual, mailoutbox):
    services.email_sign_in_code(email=individual.email.upper())
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [individual.email]
    code = next(
        word for word in mailoutbox[0].body.split() if word.count("-") == 1 and len(word) == 11
    )
    assert services.redeem_sign_in_secret(secret=code, kind=CODE) == individual


@pytest.mark.parametrize("email", ["nobody@example.org", "", "   "])
def test_email_code_says_nothing_for_an_unknown_address(db, email, mailoutbox):
    assert services.email_sign_in_code(email=email) is None
    assert mailoutbox == []
    assert not SignInSecret.objects.exists()


def test_email_code_says_nothing_for_a_deactivated_account(individual, mailoutbox):
    User.objects.filter(pk=individual.pk).update(is_active=False)
    services.email_sign_in_code(email=individual.email)
    assert mailoutbox == []


# ---------------------------------------------------------------- organisation admins


def test_org_admin_adds_a_professional(org_admin, mailoutbox):
    user = services.add_professional(
        admin=org_admin, email="new@example.org", display_name="Samir Benali", job_title="Éducateur"
    )
    assert (user.kind, user.organisation, user.has_usable_password()) == (
        User.Kind.PROFESSIONAL,
        org_admin.organisation,
        False,
    )
    assert mailoutbox[0].to == ["new@example.org"]
    assert "/sign-in/link/" in mailoutbox[0].body
    assert AuditEntry.objects.filter(
        action=Action.PROFESSIONAL_ADDED, actor=org_admin, target_id=user.pk
    ).exists()


def test_only_an_org_admin_adds_professionals(professional):
    with pytest.raises(PermissionDenied):
        services.add_professional(admin=professional, email="new@example.org", display_name="X")
    assert not User.objects.filter(email="new@example.org").exists()


def test_an_email_is_used_once(org_admin, professional):
    with pytest.raises(ValidationError) as error:
        services.add_professional(
            admin=org_admin, email=professional.email.upper(), display_name="X"
        )
    assert "email" in error.value.message_dict


def test_org_admin_deactivates_and_reactivates_a_professional(org_admin, professional):
    services.set_professional_active(admin=org_admin, professional=professional, active=False)
    professional.refresh_from_db()
    assert not professional.is_active
    services.set_professional_active(admin=org_admin, professional=professional, active=True)
    professional.refresh_from_db()
    assert professional.is_active


def test_org_admin_cannot_act_on_another_organisation(org_admin):
    stranger = UserFactory(professional=True)
    assert stranger.organisation != org_admin.organisation
    with pytest.raises(PermissionDenied):
        services.set_professional_active(admin=org_admin, professional=stranger, active=False)
    stranger.refresh_from_db()
    assert stranger.is_active
    other_admin = UserFactory(org_admin=True)
    with pytest.raises(PermissionDenied):
        services.set_professional_active(admin=other_admin, professional=org_admin, active=False)


def test_org_admin_cannot_deactivate_themselves(org_admin):
    with pytest.raises(ValidationError):
        services.set_professional_active(admin=org_admin, professional=org_admin, active=False)


def test_set_password_is_validated_and_needs_the_current_one(professional):
    with pytest.raises(ValidationError) as error:
        services.set_password(user=professional, password="short", current_password=PASSWORD)
    assert "password" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.set_password(user=professional, password="une phrase assez longue 42")
    assert "current_password" in error.value.message_dict
    professional.refresh_from_db()
    assert professional.check_password(PASSWORD)
    services.set_password(
        user=professional, password="une phrase assez longue 42", current_password=PASSWORD
    )
    assert professional.check_password("une phrase assez longue 42")


def test_ending_sessions_signs_out_every_other_session_but_keeps_the_asking_one(
    client, professional
):
    from django.contrib.auth import HASH_SESSION_KEY
    from django.test import Client
    from django.urls import reverse

    from alliance.accounts.services import end_sessions

    elsewhere = Client()
    elsewhere.force_login(professional)
    client.force_login(professional)
    assert elsewhere.get(reverse("home")).status_code == 200
    request = client.get(reverse("home")).wsgi_request

    end_sessions(user=professional, keep_request=request)

    assert elsewhere.get(reverse("home")).status_code == 302
    professional.refresh_from_db()
    assert request.session[HASH_SESSION_KEY] == professional.get_session_auth_hash()
