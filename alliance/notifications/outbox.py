"""The one way anything is sent to a person: an email or a text message through the
outbox and the task worker (ADR 0015).

`send_later` writes an `OutgoingMessage` and enqueues its delivery in the caller's
transaction: the task queue lives in the same database (django_tasks_db), so the
event, the message and its task commit or roll back together. The worker then asks
the kind's *composer* what to send, sends it, and on a transient failure (SMTP
down, a timeout, a 5xx from the SMS gateway) tries again later with growing delays;
after the last attempt, or at once for a permanent failure, the message is *failed*:
`alliance failed_deliveries` lists it and can try it again.

A composer reads the current state when the message leaves: an invitation answered
meanwhile, an account already activated, a sign-in code asked too long ago send
nothing. Codes and links are made by the composer, in the transaction of the
sending, so a code that went nowhere is rolled back and none is ever stored in
clear, neither in the outbox nor in the task queue.

Who receives what: each composer sends only to the address or number of the
account or invitation it reads (the owner of an account, the invited address, the
mobile the ally typed for the person's activation code)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks import task

from . import sms
from .models import OutgoingMessage
from .retrying import delay_before_next, error_label, is_transient

logger = logging.getLogger("alliance.delivery")

# kind -> the dotted path of its composer: a function (message) -> Email | Text | None.
COMPOSERS = {
    "notification": "alliance.notifications.emails.compose_notification",
    "digest": "alliance.notifications.emails.compose_digest",
    "sign_in_code": "alliance.accounts.messages.compose_sign_in_code",
    "welcome_link": "alliance.accounts.messages.compose_welcome_link",
    "invitation_link": "alliance.accounts.messages.compose_invitation_link",
    "activation_code": "alliance.accounts.messages.compose_activation_code",
}


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    # Runs in the transaction of a successful sending (e.g. mark a notification emailed).
    after_sent: Callable[[], None] | None = None

    def send(self) -> None:
        send_mail(self.subject, self.body, None, [self.to])


@dataclass(frozen=True)
class Text:
    to: str
    body: str
    after_sent: Callable[[], None] | None = None

    def send(self) -> None:

        sms.send_sms(to=self.to, body=self.body)


def send_later(*, kind: str, params: dict, channel=OutgoingMessage.Channel.EMAIL):
    """Queues a message of `kind` (rendered later in the current language)."""

    if kind not in COMPOSERS:
        raise ValueError(f"unknown message kind {kind!r}")
    with transaction.atomic():  # the message and its task, even outside a use case
        message = OutgoingMessage.objects.create(
            kind=kind,
            channel=channel,
            params=params,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            next_attempt_at=timezone.now(),
        )
        deliver_message.enqueue(message.pk)
    return message


class _SendingFailed(Exception):
    def __init__(self, error):
        self.error = error


def deliver(message_id: int) -> str | None:
    """One attempt at a message that is due; returns its status after the attempt
    (None when it was not due: sent by a twin task, or waiting for its time)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            message = (
                OutgoingMessage.objects.select_for_update()
                .filter(pk=message_id, status=OutgoingMessage.Status.PENDING)
                .first()
            )
            if message is None or message.next_attempt_at > now:
                return None
            try:
                with translation.override(message.language):
                    outgoing = import_string(COMPOSERS[message.kind])(message)
                if outgoing is not None:
                    outgoing.send()
            except Exception as error:
                # Undoes what the composer wrote (a code, a new link) with it. A bug in
                # a composer is not transient: it fails for good, visibly.
                raise _SendingFailed(error) from error
            message.attempts += 1
            message.finished_at = now
            if outgoing is None:
                message.status = OutgoingMessage.Status.CANCELLED
            else:
                if outgoing.after_sent is not None:
                    outgoing.after_sent()
                message.status = OutgoingMessage.Status.SENT
            message.params = {}  # done: nothing more to keep about the person
            message.save()
            return message.status
    except _SendingFailed as failed:
        return _after_failure(message_id, failed.error, now)


def _after_failure(message_id: int, error: BaseException, now) -> str:

    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().get(pk=message_id)
        message.attempts += 1
        message.last_error = error_label(error)[:100]
        delay = (
            delay_before_next(
                message.attempts,
                tuple(settings.ALLIANCE_DELIVERY_RETRY_DELAYS),
                settings.ALLIANCE_DELIVERY_MAX_ATTEMPTS,
            )
            if is_transient(error)
            else None
        )
        if delay is None:
            message.status = OutgoingMessage.Status.FAILED
            message.finished_at = now
            message.save()
            # The operators' trail: ids and the kind of error only, no address, no code.
            logger.error(
                "Delivery failed for good: message=%s kind=%s channel=%s attempts=%s error=%s",
                message.pk,
                message.kind,
                message.channel,
                message.attempts,
                message.last_error,
            )
            return message.status
        message.next_attempt_at = now + timedelta(seconds=delay)
        message.save()
        logger.warning(
            "Delivery will be retried: message=%s kind=%s attempts=%s error=%s in=%ss",
            message.pk,
            message.kind,
            message.attempts,
            message.last_error,
            delay,
        )
        _enqueue_at(deliver_message, message)
        return message.status


def _enqueue_at(task, message) -> None:
    if task.get_backend().supports_defer:
        task.using(run_after=message.next_attempt_at).enqueue(message.pk)
    # Else (the tests' immediate backend) the message waits for `requeue_stalled`.


def may_operate(user) -> bool:
    """Staff (the operators of the service) see failed deliveries and retry them."""
    return user.is_authenticated and user.is_active and user.is_staff


def failed():
    return OutgoingMessage.objects.filter(status=OutgoingMessage.Status.FAILED).order_by("-pk")


def retry(message_id: int) -> OutgoingMessage:
    """An operator tries a failed message again: a fresh series of attempts."""

    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().get(
            pk=message_id, status=OutgoingMessage.Status.FAILED
        )
        message.status = OutgoingMessage.Status.PENDING
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.finished_at = None
        message.save()
        deliver_message.enqueue(message.pk)
    return message


STALLED_AFTER = timedelta(minutes=15)


def requeue_stalled() -> int:
    """Enqueues again the pending messages well past their time: their task was lost
    (a worker killed mid-task leaves its task "running" for ever). A message sent
    twice over is not: the second task finds it sent and does nothing."""

    stalled = list(
        OutgoingMessage.objects.filter(
            status=OutgoingMessage.Status.PENDING,
            next_attempt_at__lt=timezone.now() - STALLED_AFTER,
        ).values_list("pk", flat=True)
    )
    for pk in stalled:
        deliver_message.enqueue(pk)
    return len(stalled)


@task()
def deliver_message(message_id: int):
    return deliver(message_id)
