"""The smaller OWASP ASVS 4.0.3 level-2 requirements that docs/security.md maps to a
test and that no other test file covers."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from alliance.accounts import services
from alliance.settings import base
from alliance.www.accounts.forms import ChoosePasswordForm, PasswordSignInForm
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_long_password_with_spaces_and_unicode_is_accepted():
    """2.1.2, 2.1.3, 2.1.4, 2.1.9: 64 characters and more, spaces kept as typed,
    any script, no composition rule."""
    user = UserFactory()
    chosen = "  le chêne 🌳 et le roseau, " + "ひらがな" * 10 + " fin  "
    assert len(chosen) > 64
    form = ChoosePasswordForm(
        {"current_password": PASSWORD, "password": chosen},
        user=user,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["password"] == chosen
    services.set_password(user=user, password=chosen, current_password=PASSWORD)
    user.refresh_from_db()
    assert user.check_password(chosen)
    assert not user.check_password(chosen.strip())


@pytest.mark.parametrize("weak", ["qwerty123456", "123456789012", "1qaz2wsx3edc"])
def test_a_common_password_is_refused(weak):
    """2.1.1, 2.1.7: shorter than 12, common or only digits is refused."""
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.set_password(user=user, password=weak, current_password=PASSWORD)
    with pytest.raises(ValidationError):
        services.set_password(user=user, password="court", current_password=PASSWORD)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_fields_let_password_managers_help():
    """2.1.11: the browser and password managers know which field is which."""
    user = UserFactory()
    assert (
        PasswordSignInForm().fields["password"].widget.attrs["autocomplete"] == "current-password"
    )
    choose = ChoosePasswordForm(user=user)
    assert choose.fields["current_password"].widget.attrs["autocomplete"] == "current-password"
    assert choose.fields["password"].widget.attrs["autocomplete"] == "new-password"


def test_passwords_are_stored_with_argon2():
    """2.4.1, 2.4.2, 2.4.3: the settings the product runs with (tests use a fast
    hasher) put Argon2id first, with a random salt of 128 bits per password; PBKDF2 only
    reads hashes written before."""
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()
    first, second = (
        hasher.encode("même mot", hasher.salt()),
        hasher.encode("même mot", hasher.salt()),
    )
    assert first != second
    assert first.startswith("argon2$argon2id$")
    assert len(hasher.salt()) * 5.9 >= 128  # 22 characters of 62


def test_no_admin_site_and_no_demo_sign_in_outside_the_demo(client):
    """2.5.4: no administration site, and the demo's password-less buttons exist only
    in demo mode."""
    UserFactory(demo_persona="lea")
    assert client.get("/admin/").status_code == 404
    with override_settings(ALLIANCE_DEMO_MODE=False):
        response = client.post(reverse("accounts:sign_in_demo", args=["lea"]))
        assert response.status_code == 404
        assert "_auth_user_id" not in client.session


def test_signing_in_gives_a_new_session_key(client):
    """3.2.1, 3.2.2: the key a visitor had before signing in is not the one after."""
    user = UserFactory(email="nadia@example.org")
    client.get(reverse("accounts:sign_in"))
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    response = client.post(reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    after = client.session.session_key
    assert after and after != before
    assert len(after) >= 32


def test_a_post_without_the_csrf_token_is_refused(alliance_trio):
    """4.2.2: a form posted from elsewhere (no CSRF token) changes nothing."""
    strict = Client(enforce_csrf_checks=True)
    user = alliance_trio.person.user
    strict.force_login(user)
    response = strict.post(
        reverse("alliances:statement_new", args=[alliance_trio.alliance.pk]),
        {"kind": "interest", "text": "Écrit depuis un autre site"},
    )
    assert response.status_code == 403
    assert not alliance_trio.alliance.statements.filter(text__contains="autre site").exists()
    # The same form from the page itself, with its token, is saved.
    page = strict.get(reverse("alliances:statement_new", args=[alliance_trio.alliance.pk]))
    token = page.cookies["csrftoken"].value
    strict.post(
        reverse("alliances:statement_new", args=[alliance_trio.alliance.pk]),
        {"kind": "interest", "text": "Écrit depuis un autre site", "csrfmiddlewaretoken": token},
    )
    assert alliance_trio.alliance.statements.filter(text__contains="autre site").exists()


@pytest.mark.parametrize("path", ["/static/", "/.git/config", "/.env", "/static/../settings.py"])
def test_no_directory_listing_or_repository_files(client, path):
    """4.3.2: nothing but the collected static files and the pages."""
    response = client.get(path)
    assert response.status_code == 404
