"""Activation letters, the activation page, devices kept signed in (ADR 0013),
through the pages. A code reaches only the ally who invited the account, and only
while the account was never used."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.accounts import activation
from alliance.accounts.models import ActivationLetter, DeviceCredential, User
from alliance.alliances import services
from alliance.alliances.models import Ally, Role
from alliance.audit.models import AuditEntry
from alliance.notifications import sms
from tests.factories import UserFactory, make_alliance_trio

CODE = re.compile(r"\b([A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5})\b")
HAND_OVER = {"hand_over": "on"}


@pytest.fixture
def created(client):
    """A professional creates an alliance for Léa, who has no email."""
    professional = UserFactory(professional=True, display_name="Inès Morel")
    client.force_login(professional)
    response = client.post(
        reverse("alliances:create"),
        {"title": "Le logement de Léa", "person_name": "Léa Petit", "person_email": ""},
    )
    person = Ally.objects.get(role=Role.PERSON, user__display_name="Léa Petit")
    return professional, person, response


def make_letter(client, ally):
    response = client.post(reverse("alliances:letter", args=[ally.alliance_id, ally.pk]), HAND_OVER)
    assert response.status_code == 200
    return CODE.search(response.content.decode()).group(1), response


@pytest.mark.django_db
def test_creating_an_alliance_for_a_person_without_email_leads_to_the_letter(client, created):
    _professional, person, response = created
    assert response.status_code == 302
    assert response["Location"] == reverse("alliances:letter", args=[person.alliance_id, person.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert not CODE.search(page.content.decode())  # the GET makes nothing


@pytest.mark.django_db
def test_the_letter_shows_the_code_once_with_a_qr_code_and_a_pdf(client, created):
    _professional, person, _ = created
    code, response = make_letter(client, person)
    content = response.content.decode()
    assert "Léa Petit" in content and "<svg" in content and "OpenMoji" in content
    assert response["Referrer-Policy"] == "same-origin"
    letter = ActivationLetter.objects.get(user=person.user)
    assert code not in letter.code_hash and letter.expires_at > timezone.now() + timedelta(hours=71)
    pdf = client.post(
        reverse("alliances:letter_pdf", args=[person.alliance_id, person.pk]), {"code": code}
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf["Referrer-Policy"] == "no-referrer"
    assert "no-store" in pdf["Cache-Control"]
    # The trail of the alliance says a letter was made, for whom; never the code.
    entry = AuditEntry.objects.get(
        alliance_id=person.alliance_id, action="activation_letter_issued"
    )
    assert entry.detail["account"] == "Léa Petit" and code not in str(entry.detail)


@pytest.mark.django_db
def test_a_new_letter_voids_the_previous_one(client, created):
    _, person, _ = created
    first, _ = make_letter(client, person)
    second, _ = make_letter(client, person)
    client.logout()
    refused = client.post(reverse("accounts:activate"), {"code": first})
    assert refused.status_code == 400
    assert client.post(reverse("accounts:activate"), {"code": second}).status_code == 302


@pytest.mark.django_db
def test_the_pdf_answers_only_the_one_who_made_the_letter(client, created):
    professional, person, _ = created
    code, _ = make_letter(client, person)
    services.accept_invitation(ally=person)
    services.decide_on_ally(
        approver=person, ally=person.alliance.allies.get(user=professional), approve=True
    )
    relative = services.invite_ally(
        inviter=Ally.objects.get(pk=person.pk), display_name="Tom Petit", role=Role.RELATIVE
    )
    services.accept_invitation(ally=relative)
    client.force_login(relative.user)
    response = client.post(
        reverse("alliances:letter_pdf", args=[person.alliance_id, person.pk]), {"code": code}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_activation_signs_in_once_and_then_nobody_can_make_a_letter(client, created):
    professional, person, _ = created
    code, _ = make_letter(client, person)
    client.logout()
    # A GET, with or without the code, signs nobody in.
    page = client.get(reverse("accounts:activate") + f"?code={code}")
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:activate"), {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:activate_choose"
    )
    assert int(client.session["_auth_user_id"]) == person.user_id
    person.user.refresh_from_db()
    assert person.user.activated_at is not None
    assert client.get(reverse("accounts:activate_choose")).status_code == 200
    # Spent: the same answer as a code that never existed.
    client.logout()
    spent = client.post(reverse("accounts:activate"), {"code": code})
    unknown = client.post(reverse("accounts:activate"), {"code": "AAAAA-BBBBB"})
    assert spent.status_code == unknown.status_code == 400
    errors = re.compile(r'<p class="error">(.*?)</p>')
    assert errors.findall(spent.content.decode()) == errors.findall(unknown.content.decode())
    # Activated: the professional who made it cannot make another.
    client.force_login(professional)
    again = client.post(
        reverse("alliances:letter", args=[person.alliance_id, person.pk]), HAND_OVER
    )
    assert again.status_code == 403
    assert ActivationLetter.objects.filter(user=person.user).count() == 1


@pytest.mark.django_db
def test_an_expired_letter_does_not_open(client, created):
    _, person, _ = created
    code, _ = make_letter(client, person)
    ActivationLetter.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    assert client.post(reverse("accounts:activate"), {"code": code}).status_code == 400


@pytest.mark.django_db
def test_only_the_inviter_makes_a_letter(client):
    trio = make_alliance_trio()
    relative = services.invite_ally(
        inviter=trio.professional, display_name="Sami Martin", role=Role.RELATIVE
    )
    url = reverse("alliances:letter", args=[trio.alliance.pk, relative.pk])
    for ally in (trio.person, trio.parent):
        client.force_login(ally.user)
        assert client.get(url).status_code == 403
        assert client.post(url, HAND_OVER).status_code == 403
        sms_url = reverse("alliances:letter_sms", args=[trio.alliance.pk, relative.pk])
        assert client.post(sms_url, {"phone": "0612345678", "own_phone": "on"}).status_code == 403
    colleague = UserFactory(professional=True, organisation=trio.professional.user.organisation)
    elsewhere = UserFactory(professional=True)
    for user in (colleague, elsewhere):
        client.force_login(user)
        assert client.post(url, HAND_OVER).status_code == 404
    assert not ActivationLetter.objects.exists()
    client.force_login(trio.professional.user)
    assert client.post(url, HAND_OVER).status_code == 200


@pytest.mark.django_db
def test_the_code_by_text_message(client, created):
    _, person, _ = created
    url = reverse("alliances:letter_sms", args=[person.alliance_id, person.pk])
    bad = client.post(url, {"phone": "01 23 45 67 89", "own_phone": "on"})
    assert bad.status_code == 400 and not sms.outbox
    response = client.post(url, {"phone": "06 12 34 56 78", "own_phone": "on"})
    assert response.status_code == 302
    assert len(sms.outbox) == 1 and sms.outbox[0].to == "+33612345678"
    code = CODE.search(sms.outbox[0].body).group(1)
    page = client.get(response["Location"])
    assert code not in page.content.decode() and "06 •• •• •• 78" in page.content.decode()
    assert ActivationLetter.objects.get().delivery == ActivationLetter.Delivery.SMS


@pytest.mark.django_db
def test_texting_codes_is_rate_limited(client, created, settings):
    _, person, _ = created
    settings.ALLIANCE_RATE_LIMITS = {
        **settings.ALLIANCE_RATE_LIMITS,
        "activation_sms": {"account": "2/h"},
    }
    url = reverse("alliances:letter_sms", args=[person.alliance_id, person.pk])
    data = {"phone": "0712345678", "own_phone": "on"}
    assert [client.post(url, data).status_code for _ in range(3)] == [302, 302, 429]
    assert len(sms.outbox) == 2


@pytest.mark.django_db
def test_the_activation_page_is_rate_limited(client, settings):
    settings.ALLIANCE_RATE_LIMITS = {**settings.ALLIANCE_RATE_LIMITS, "activation": {"ip": "3/5m"}}
    url = reverse("accounts:activate")
    statuses = [client.post(url, {"code": "AAAAA-BBBBB"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


@pytest.mark.django_db
def test_keep_this_device_signed_in(client, created):
    _, person, _ = created
    code, _ = make_letter(client, person)
    client.logout()
    client.post(reverse("accounts:activate"), {"code": code})
    response = client.post(reverse("accounts:activate_device"))
    assert response.status_code == 302
    cookie = response.cookies[activation.DEVICE_COOKIE]
    assert (
        cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) > 300 * 86400
    )
    token = cookie.value
    assert DeviceCredential.objects.get().token_hash != token
    # The browser closes: the session cookie is gone, the device cookie stays.
    client.cookies.pop("sessionid")
    home = client.get(reverse("home"))
    assert home.status_code == 200 and int(client.session["_auth_user_id"]) == person.user_id
    sessions_page = client.get(reverse("accounts:sessions"))
    device = DeviceCredential.objects.get()
    assert reverse("accounts:revoke_device", args=[device.pk]) in sessions_page.content.decode()
    # Revoked: the cookie opens nothing any more.
    client.post(reverse("accounts:revoke_device", args=[device.pk]))
    client.cookies.pop("sessionid")
    client.cookies[activation.DEVICE_COOKIE] = token
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_choosing_needs_the_session_the_letter_opened(client, created):
    _, person, _ = created
    client.force_login(person.user)
    assert client.get(reverse("accounts:activate_choose")).status_code == 403
    assert client.post(reverse("accounts:activate_device")).status_code == 403
    assert not DeviceCredential.objects.exists()


@pytest.mark.django_db
def test_another_users_device_cannot_be_revoked(client, created):
    _, person, _ = created
    code, _ = make_letter(client, person)
    client.logout()
    client.post(reverse("accounts:activate"), {"code": code})
    client.post(reverse("accounts:activate_device"))
    device = DeviceCredential.objects.get()
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:revoke_device", args=[device.pk])).status_code == 404
    device.refresh_from_db()
    assert device.revoked_at is None


@pytest.mark.django_db
def test_a_relative_invited_without_email_gets_a_letter_from_their_inviter(client):
    trio = make_alliance_trio()
    client.force_login(trio.parent.user)
    response = client.post(
        reverse("alliances:invite", args=[trio.alliance.pk]),
        {"display_name": "Sami Martin", "email": "", "role": Role.RELATIVE},
    )
    relative = Ally.objects.get(user__display_name="Sami Martin")
    assert (
        reverse("alliances:letter", args=[trio.alliance.pk, relative.pk])
        in response.content.decode()
    )
    overview = client.get(reverse("alliances:overview", args=[trio.alliance.pk]))
    assert (
        reverse("alliances:letter", args=[trio.alliance.pk, relative.pk])
        in overview.content.decode()
    )
    assert User.objects.get(pk=relative.user_id).activated_at is None


@pytest.mark.django_db
def test_signing_out_forgets_the_device(client, created):
    _, person, _ = created
    code, _ = make_letter(client, person)
    client.logout()
    client.post(reverse("accounts:activate"), {"code": code})
    token = client.post(reverse("accounts:activate_device")).cookies[activation.DEVICE_COOKIE].value
    response = client.post(reverse("accounts:sign_out"))
    assert response.cookies[activation.DEVICE_COOKIE].value == ""
    assert DeviceCredential.objects.get().revoked_at is not None
    client.cookies[activation.DEVICE_COOKIE] = token
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_a_professional_invited_without_email_gets_no_letter(client):
    """Professionals sign in with their email and second factor, never a letter."""
    trio = make_alliance_trio()
    professional = services.invite_ally(
        inviter=trio.parent, display_name="Omar Sans Courriel", role=Role.PROFESSIONAL
    )
    client.force_login(trio.parent.user)
    url = reverse("alliances:letter", args=[trio.alliance.pk, professional.pk])
    assert client.post(url, HAND_OVER).status_code == 403
    assert not ActivationLetter.objects.exists()


@pytest.mark.django_db
def test_the_trail_of_the_alliance_says_each_step_naming_the_account(client, created):
    professional, person, _ = created
    sms_url = reverse("alliances:letter_sms", args=[person.alliance_id, person.pk])
    client.post(sms_url, {"phone": "0612345678", "own_phone": "on"})
    code, _ = make_letter(client, person)
    client.logout()
    client.post(reverse("accounts:activate"), {"code": code})
    client.post(reverse("accounts:activate_device"))
    device = DeviceCredential.objects.get()
    client.post(reverse("accounts:revoke_device", args=[device.pk]))
    entries = AuditEntry.objects.filter(alliance_id=person.alliance_id).order_by("pk")
    steps = [(e.action, e.actor_id) for e in entries if e.detail.get("account") == "Léa Petit"]
    assert steps == [
        ("activation_code_texted", professional.pk),
        ("activation_letter_issued", professional.pk),
        ("account_activated", person.user_id),
        ("device_kept_signed_in", person.user_id),
        ("device_revoked", person.user_id),
    ]
