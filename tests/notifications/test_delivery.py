"""Every email and text message through the outbox (ADR 0015), with the production
queue (the database backend) and transports that fail then recover: retried with
the configured waits when the failure is transient, failed for good otherwise,
visible to operators, and no code or link ever stored in clear."""

import logging
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from alliance.accounts import activation
from alliance.accounts.models import ActivationLetter, SignInSecret, User, hash_secret
from alliance.accounts.services import email_sign_in_code
from alliance.alliances import services
from alliance.alliances.models import Ally, AllyInvitation, Role
from alliance.notifications import sms
from alliance.notifications.models import OutgoingMessage
from tests.factories import UserFactory, make_alliance_trio
from tests.notifications import flaky
from tests.notifications.queue import run_ready_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]

LINK = re.compile(r"/invitations/([\w-]+)/")
CODE = re.compile(r"\b([A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5})\b")


def pending_task():
    (task,) = DBTaskResult.objects.filter(status="READY")
    return task


def invite(trio, email="sam@example.org"):
    return services.invite_ally(
        inviter=trio.professional, display_name="Sam", email=email, role=Role.PEER
    )


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    run_ready_tasks()
    mail.outbox.clear()
    return trio


def test_smtp_down_the_invitation_succeeds_and_its_email_leaves_when_smtp_returns(
    trio, clock, flaky_transports
):
    flaky_transports += [flaky.smtp_down(), flaky.smtp_down()]
    invitation = invite(trio)
    assert invitation.status == AllyInvitation.Status.PENDING

    start = clock.now
    assert run_ready_tasks() == 1
    message = OutgoingMessage.objects.get(kind="invitation_link")
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "SMTPServerDisconnected"
    # The retry waits in the queue until its time: 1 minute, then 5.
    assert message.next_attempt_at == pending_task().run_after == start + timedelta(minutes=1)
    assert run_ready_tasks() == 0

    clock.advance(minutes=1)
    assert run_ready_tasks() == 1
    message.refresh_from_db()
    assert message.attempts == 2
    assert pending_task().run_after == clock.now + timedelta(minutes=5)
    assert not mail.outbox

    clock.advance(minutes=5)
    assert run_ready_tasks() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.params) == ("sent", 3, {})
    (email,) = mail.outbox
    assert email.to == ["sam@example.org"]
    # The link made at the sending opens the invitation; it was never stored in clear.
    token = LINK.search(email.body).group(1)
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_secret(token)
    assert token not in str(list(DBTaskResult.objects.values()))
    assert token not in str(list(OutgoingMessage.objects.values()))


def test_an_invitation_answered_before_its_email_leaves_sends_nothing(trio, clock):
    invitation = invite(trio)
    AllyInvitation.objects.filter(pk=invitation.pk).update(status="withdrawn")
    run_ready_tasks()
    assert not mail.outbox
    assert OutgoingMessage.objects.get(kind="invitation_link").status == "cancelled"


def test_a_refused_address_fails_at_once_and_is_shown_to_operators_without_it(
    trio, clock, flaky_transports, caplog
):
    flaky_transports.append(flaky.address_refused("sam@example.org"))
    invite(trio)
    with caplog.at_level(logging.ERROR, logger="alliance.delivery"):
        run_ready_tasks()
    message = OutgoingMessage.objects.get(kind="invitation_link")
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.last_error == "SMTPRecipientsRefused 550"
    assert not DBTaskResult.objects.filter(status="READY").exists()
    (record,) = [r for r in caplog.records if r.name == "alliance.delivery"]
    assert f"message={message.pk}" in record.getMessage()
    assert "sam@" not in record.getMessage()

    out = StringIO()
    call_command("failed_deliveries", stdout=out)
    listed = out.getvalue()
    assert f"{message.pk}\tinvitation_link\temail\t1\tSMTPRecipientsRefused 550" in listed
    assert "sam@" not in listed

    # The operator fixed the cause: the message leaves on its retry.
    call_command("failed_deliveries", "--retry", str(message.pk), stdout=StringIO())
    run_ready_tasks()
    message.refresh_from_db()
    assert message.status == "sent"
    assert mail.outbox[0].to == ["sam@example.org"]
    out = StringIO()
    call_command("failed_deliveries", stdout=out)
    assert out.getvalue() == "No failed message.\n"


def test_a_transient_failure_is_tried_at_most_the_configured_times(
    trio, clock, flaky_transports, settings
):
    settings.ALLIANCE_DELIVERY_MAX_ATTEMPTS = 3
    flaky_transports += [flaky.smtp_down() for _ in range(10)]
    invite(trio)
    waits = []
    for _ in range(5):
        before = clock.now
        run_ready_tasks()
        ready = DBTaskResult.objects.filter(status="READY").first()
        if ready is None:
            break
        waits.append(ready.run_after - before)
        clock.advance(hours=13)
    assert waits == [timedelta(minutes=1), timedelta(minutes=5)]
    message = OutgoingMessage.objects.get(kind="invitation_link")
    assert (message.status, message.attempts) == ("failed", 3)
    assert len(flaky_transports) == 7
    with pytest.raises(Exception, match="No failed message"):
        call_command("failed_deliveries", "--retry", str(message.pk + 100))


def test_the_sign_in_code_is_made_by_the_worker_and_never_queued(client, flaky_transports):
    user = UserFactory(email="nadia@example.org")
    flaky_transports.append(flaky.smtp_down())
    email_sign_in_code(email="nadia@example.org")
    assert not SignInSecret.objects.exists()
    (task,) = DBTaskResult.objects.all()
    message = OutgoingMessage.objects.get()
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}
    run_ready_tasks()
    # The attempt that failed left no usable code behind.
    assert not SignInSecret.objects.exists()
    message.refresh_from_db()
    assert message.status == "pending"
    OutgoingMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    DBTaskResult.objects.filter(status="READY").update(run_after=message.created_at)
    run_ready_tasks()
    code = CODE.search(mail.outbox[0].body).group(1)
    assert SignInSecret.objects.get(user=user).secret_hash == hash_secret(code.replace("-", ""))
    assert code.replace("-", "") not in str(list(OutgoingMessage.objects.values()))


def test_a_sign_in_code_asked_too_long_ago_is_not_sent(clock, settings):
    UserFactory(email="nadia@example.org")
    email_sign_in_code(email="nadia@example.org")
    clock.advance(minutes=settings.ALLIANCE_SIGN_IN_CODE_MINUTES + 1)
    run_ready_tasks()
    assert not mail.outbox and not SignInSecret.objects.exists()
    assert OutgoingMessage.objects.get().status == "cancelled"


# ---------------------------------------------------------------- text messages


@pytest.fixture
def person_without_email():
    professional = UserFactory(professional=True)
    alliance = services.create_alliance(
        creator=professional, title="Le logement de Léa", person_name="Léa Petit"
    )
    run_ready_tasks()
    return (
        alliance.allies.get(user=professional),
        Ally.objects.get(alliance=alliance, role=Role.PERSON),
    )


def test_gateway_down_the_activation_code_is_texted_when_it_returns(
    person_without_email, clock, flaky_transports
):
    by, person = person_without_email
    flaky_transports.append(sms.SmsError("Brevo answered 503", transient=True, status=503))
    sms.outbox.clear()
    assert services.text_activation_code(by=by, ally=person, phone="06 12 34 56 78")
    run_ready_tasks()
    message = OutgoingMessage.objects.get(kind="activation_code")
    assert (message.channel, message.status, message.last_error) == (
        "sms",
        "pending",
        "SmsError 503",
    )
    assert not ActivationLetter.objects.exists()  # no code kept of a text that went nowhere
    clock.advance(minutes=1)
    run_ready_tasks()
    (text,) = sms.outbox
    assert text.to == "+33612345678"
    assert activation.redeem_letter(code=CODE.search(text.body).group(1)) == person.user
    assert ActivationLetter.objects.get().delivery == ActivationLetter.Delivery.SMS


def test_a_number_the_gateway_refuses_fails_for_good(person_without_email, flaky_transports):
    by, person = person_without_email
    flaky_transports.append(sms.SmsError("Brevo answered 400", transient=False, status=400))
    services.text_activation_code(by=by, ally=person, phone="0612345678")
    run_ready_tasks()
    message = OutgoingMessage.objects.get(kind="activation_code")
    assert (message.status, message.attempts) == ("failed", 1)
    assert not ActivationLetter.objects.exists()


def test_an_account_activated_before_the_text_leaves_gets_nothing(person_without_email):
    by, person = person_without_email
    services.text_activation_code(by=by, ally=person, phone="0612345678")
    User.objects.filter(pk=person.user_id).update(
        activated_at=OutgoingMessage.objects.get().created_at
    )
    sms.outbox.clear()
    run_ready_tasks()
    assert not sms.outbox
    assert OutgoingMessage.objects.get(kind="activation_code").status == "cancelled"


def test_the_texting_page_says_the_code_is_on_its_way(client, person_without_email):
    by, person = person_without_email
    client.force_login(by.user)
    url = reverse("alliances:letter_sms", args=[person.alliance_id, person.pk])
    response = client.post(url, {"phone": "0612345678", "own_phone": "on"}, follow=True)
    assert response.status_code == 200
    assert OutgoingMessage.objects.filter(kind="activation_code", status="pending").exists()


# ---------------------------------------------------------------- stalled tasks


def test_a_message_whose_task_was_lost_is_enqueued_again_once_sent_once(trio, clock):
    invite(trio)
    DBTaskResult.objects.all().delete()  # the worker was killed mid-task
    clock.advance(minutes=16)
    out = StringIO()
    call_command("run_periodic", "requeue_stalled", stdout=out)
    assert out.getvalue() == "1 stalled messages enqueued again.\n"
    call_command("run_periodic", "requeue_stalled", "--force", stdout=StringIO())  # a twin task
    assert run_ready_tasks() == 2
    assert len(mail.outbox) == 1
