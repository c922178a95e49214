"""Erasure and restriction (GDPR arts. 17 and 18, ADR 0033), and removing an account,
which never fails.

Erasing an account replaces its identity by a pseudonym ("Personne 4F2A") everywhere:
the account row stays (allies' history, the trail and proposals point at it), its
name becomes the pseudonym, what reaches or identifies the person goes (email, job
title, date of birth, ProConnect link, second factors and passkeys, sessions, tokens,
calendar link, notifications, devices), and it can no longer sign in. Their words in
what is still kept stay, under the pseudonym; invitations that named them take the
pseudonym too. The trail keeps every entry; its names of the account take the
pseudonym through the one narrow exception of the append-only trail
(`AuditEntry.objects.pseudonymise`).

The list of what is pseudonymised or deleted here is `WHAT_IS_ERASED`; the registry of
every table holding personal data (alliance.privacy.registry, ADR 0032) is the wider
list the merger unifies with it."""

import dataclasses
import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_otp import devices_for_user

from alliance.accounts.invitations import Invitation
from alliance.accounts.models import (
    ActivationLetter,
    CalendarFeed,
    DeviceCredential,
    PersonalAccessToken,
    ProConnectIdentity,
    SignInSecret,
    UserSession,
    new_session_generation,
)
from alliance.alliances.models import Ally, Role
from alliance.audit.journal import record
from alliance.audit.models import Action, AuditEntry, AuditPseudonym
from alliance.collectives.models import CollectiveMember
from alliance.notifications.models import Notification, NotificationPreference, NotificationSettings

from .models import DataArchive, RightRequest

User = get_user_model()

PSEUDONYM_PREFIX = "Personne "

# Rows that only served the account itself: deleted when it is erased.
OWN_ROWS = (
    SignInSecret,
    UserSession,
    ProConnectIdentity,
    ActivationLetter,
    DeviceCredential,
    CalendarFeed,
    PersonalAccessToken,
    Notification,
    NotificationPreference,
    NotificationSettings,
)

WHAT_IS_ERASED = {
    "accounts.User": "display_name → pseudonym; email, job title, date of birth emptied",
    "accounts.*": "sign-in secrets, sessions, ProConnect link, activation letters, "
    "devices, calendar link, API tokens: deleted",
    "django_otp devices": "second factors and passkeys: deleted",
    "notifications.*": "notifications and their settings: deleted",
    "invitations": "name and address typed by the inviter → pseudonym",
    "audit.AuditEntry": "actor_label and detail['account'] → pseudonym (entries kept)",
    "privacy.DataArchive": "archives of or asked by the account: deleted",
}


@dataclasses.dataclass(frozen=True)
class Keeping:
    """Why and until when the law still asks to keep what an account took part in."""

    open_alliances: int
    until: datetime.date | None

    @property
    def erasable(self) -> bool:
        return self.open_alliances == 0 and self.until is None


def keeping(user, *, today=None) -> Keeping:
    """An alliance still open is kept while it lives; a closed one until its
    `keep_until`. An erased alliance (the job deleted it) keeps nothing."""
    today = today or timezone.localdate()
    alliances = Ally.objects.filter(user=user).values_list(
        "alliance__closed_at", "alliance__keep_until"
    )
    open_count, until = 0, None
    for closed_at, keep_until in alliances:
        if closed_at is None:
            open_count += 1
        elif keep_until is not None and keep_until >= today:
            until = max(until or keep_until, keep_until)
    return Keeping(open_alliances=open_count, until=until)


def closed_alliance_years() -> int:
    return settings.ALLIANCE_RETENTION_POLICY["closed_alliance"]["keep"][0]


def can_ask_for(by, user) -> bool:
    """The account's owner; the approved legal representative of a person, for that
    person; an organisation administrator, for a professional of their organisation;
    staff. `by=None` is the platform itself (the retention job, `manage.py`)."""
    if by is None or by.pk == user.pk or by.is_staff:
        return True
    if by.is_org_admin and user.organisation_id == by.organisation_id:
        return True
    represented = Ally.objects.filter(
        user=user,
        role=Role.PERSON,
        alliance__allies__user=by,
        alliance__allies__role=Role.REPRESENTATIVE,
        alliance__allies__status=Ally.Status.ACTIVE,
    )
    return represented.exists()


def _check(by, user):
    if not can_ask_for(by, user):
        raise PermissionDenied


def _new_pseudonym() -> str:
    # Random, not derived from the account: nothing leads back from it to the person.
    return f"{PSEUDONYM_PREFIX}{secrets.token_hex(2).upper()}"


def pseudonym_for(user) -> str:
    """The account's pseudonym, drawn once and recorded for the trail."""
    found = AuditPseudonym.objects.filter(user_id=user.pk).first()
    if found is not None:
        return found.pseudonym
    while True:
        try:
            with transaction.atomic():
                return AuditPseudonym.objects.create(
                    user_id=user.pk, pseudonym=_new_pseudonym()
                ).pseudonym
        except IntegrityError:
            # Drawn by another account already (one chance in 65,536 per account).
            continue


def _freeze(user):
    """No way in any more: sessions end at their next request, no password, tokens
    and devices kept signed in go."""
    user.is_active = False
    user.session_generation = new_session_generation()
    user.set_unusable_password()
    PersonalAccessToken.objects.filter(user=user).delete()
    DeviceCredential.objects.filter(user=user).delete()
    UserSession.objects.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())


def is_pseudonymised(user) -> bool:
    return AuditPseudonym.objects.filter(user_id=user.pk).exists() and (
        user.display_name.startswith(PSEUDONYM_PREFIX)
    )


@transaction.atomic
def pseudonymise_user(user, *, by, reason: str) -> str:
    """Replaces `user`'s identity by its pseudonym everywhere and returns it. Running
    it again changes nothing more. `by=None`: the retention job."""
    _check(by, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    pseudonym = pseudonym_for(user)
    old_email = user.email
    _freeze(user)
    user.display_name = pseudonym
    user.email = None
    user.job_title = ""
    user.born_on = None
    user.demo_persona = ""
    user.is_staff = user.is_superuser = user.is_org_admin = False
    user.save()
    for model in OWN_ROWS:
        model.objects.filter(user=user).delete()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    if old_email:
        for model in Invitation.__subclasses__():
            model.objects.filter(email__iexact=old_email).update(
                display_name=pseudonym, email="erased@invalid"
            )
    # An archive is a copy of the identity: it goes with it.
    DataArchive.objects.filter(Q(subject=user) | Q(requested_by=user)).delete()
    AuditEntry.objects.pseudonymise(user.pk)
    RightRequest.objects.filter(
        user=user, kind=RightRequest.Kind.ERASURE, status=RightRequest.Status.OPEN
    ).update(status=RightRequest.Status.DONE, closed_at=timezone.now())
    record(
        by,
        Action.USER_PSEUDONYMISED,
        organisation_id=user.organisation_id,
        target=user,
        detail={"account": pseudonym, "account_id": user.pk, "reason": reason},
    )
    return pseudonym


def _open_request(user, kind, *, by, reason):
    request, _ = RightRequest.objects.get_or_create(
        user=user,
        kind=kind,
        status=RightRequest.Status.OPEN,
        defaults={"asked_by": by, "reason": reason},
    )
    return request


@transaction.atomic
def restrict_processing(user, *, by, reason: str = "") -> RightRequest:
    """Art. 18, defined here: the account is frozen at once (nobody signs in with it,
    its tokens and devices go, its sessions end, it receives nothing), its data stay
    unchanged and stay shown to the allies who already see them, and nothing new is
    written in its name. Lifting it gives the account back (a new way in: activation
    letter or sign-in link, as for a lost access)."""
    _check(by, user)
    request = _open_request(user, RightRequest.Kind.RESTRICTION, by=by, reason=reason)
    _freeze(user)
    user.save()
    record(
        by,
        Action.PROCESSING_RESTRICTED,
        organisation_id=user.organisation_id,
        target=user,
        detail={"account": user.display_name, "account_id": user.pk},
    )
    return request


@transaction.atomic
def lift_restriction(user, *, by) -> None:
    _check(by, user)
    changed = RightRequest.objects.filter(
        user=user, kind=RightRequest.Kind.RESTRICTION, status=RightRequest.Status.OPEN
    ).update(status=RightRequest.Status.CANCELLED, closed_at=timezone.now())
    if not changed or is_pseudonymised(user):
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(
        by,
        Action.RESTRICTION_LIFTED,
        organisation_id=user.organisation_id,
        target=user,
        detail={"account": user.display_name, "account_id": user.pk},
    )


def _erase_when_the_law_allows(user, *, by, action, reason, request_reason, today, freeze):
    """Records the erasure request; replaces the identity at once when nothing the
    account took part in is still kept, else leaves it to the retention job (the
    returned `Keeping` says until when, and why)."""
    _check(by, user)
    kept = keeping(user, today=today)
    _open_request(user, RightRequest.Kind.ERASURE, by=by, reason=request_reason)
    record(
        by,
        action,
        organisation_id=user.organisation_id,
        target=user,
        detail={
            "account": user.display_name,
            "account_id": user.pk,
            "kept_until": kept.until.isoformat() if kept.until else None,
            "open_alliances": kept.open_alliances,
        },
    )
    if kept.erasable:
        pseudonymise_user(user, by=by, reason=reason)
    elif freeze:
        _freeze(user)
        user.save()
    return kept


@transaction.atomic
def request_erasure(user, *, by, reason: str = "", today=None) -> Keeping:
    """Art. 17: asked by the owner or their legal representative."""
    return _erase_when_the_law_allows(
        user,
        by=by,
        action=Action.ERASURE_REQUESTED,
        reason="erasure requested",
        request_reason=reason,
        today=today,
        freeze=False,
    )


@transaction.atomic
def cancel_erasure(user, *, by) -> bool:
    _check(by, user)
    changed = RightRequest.objects.filter(
        user=user, kind=RightRequest.Kind.ERASURE, status=RightRequest.Status.OPEN
    ).update(status=RightRequest.Status.CANCELLED, closed_at=timezone.now())
    if changed:
        record(
            by,
            Action.ERASURE_CANCELLED,
            organisation_id=user.organisation_id,
            target=user,
            detail={"account": user.display_name, "account_id": user.pk},
        )
    return bool(changed)


@transaction.atomic
def remove_user(user, *, by, reason: str = "", today=None) -> Keeping:
    """Removing an account (a professional who leaves, the Django admin, `manage.py`)
    never deletes its row, so never meets a protected foreign key: the account is
    frozen now, and pseudonymised now when nothing it took part in is still kept,
    else by the retention job when the last of it is erased."""
    return _erase_when_the_law_allows(
        user,
        by=by,
        action=Action.USER_REMOVED,
        reason="account removed",
        request_reason=reason or "account removed",
        today=today,
        freeze=True,
    )


def waiting_erasure():
    """Accounts whose erasure was asked and is not done yet."""
    return User.objects.filter(
        right_requests__kind=RightRequest.Kind.ERASURE,
        right_requests__status=RightRequest.Status.OPEN,
    ).distinct()


def has_nothing_else(user) -> bool:
    """No alliance left and no collective where the account is still a member."""
    return (
        not Ally.objects.filter(user=user).exists()
        and not CollectiveMember.objects.filter(
            user=user, status=CollectiveMember.Status.ACTIVE
        ).exists()
    )
