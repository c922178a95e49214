"""Inviting a list of people to a collective from a file (issue 14, ADR 0040).

Three use cases: `prepare_batch` reads the file and keeps its lines on the server (a
draft), `review_batch` says what each line would become, `send_batch` makes the
invitations in one transaction through the same use case as a single invitation
(services._invite_member): the link goes by email to the invited address only, an
existing account is asked in the product, nobody joins without accepting, the same
daily budget of invitations applies, and each invitation has its own trail entry
beside the batch's."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from alliance.audit.models import Action

from . import member_csv, perms
from .member_csv import FileRefused, Outcome
from .models import CollectiveMember, MemberInvitation, MemberInvitationBatch, MemberStanding
from .services import _invite_member, _record, invitations_left_today

# Ways of writing a standing besides its code and its label in each language.
STANDING_WORDS = {
    "personne": MemberStanding.PERSON,
    "personne concernee": MemberStanding.PERSON,
    "parent": MemberStanding.RELATIVE,
    "famille": MemberStanding.RELATIVE,
    "professionnelle": MemberStanding.PROFESSIONAL,
    "pro": MemberStanding.PROFESSIONAL,
    "habitante": MemberStanding.RESIDENT,
    "habitant": MemberStanding.RESIDENT,
    "voisin": MemberStanding.RESIDENT,
    "voisine": MemberStanding.RESIDENT,
}


def standing_words() -> dict[str, str]:
    """Every folded way of writing a standing that a file may use: codes, labels in
    each language of the product, and the usual words."""
    words = {member_csv.fold(code): code for code in MemberStanding.values}
    for language, _name in settings.LANGUAGES:
        with override(language):
            words |= {member_csv.fold(str(label)): code for code, label in MemberStanding.choices}
    return words | {member_csv.fold(w): code for w, code in STANDING_WORDS.items()}


def _refused_message(refused: FileRefused) -> str:
    limit = refused.limit or 0
    if refused.reason == "too_large":
        limit //= 1000  # said in kilobytes
    return {
        "empty": _("The file is empty. Choose a file with one person per line."),
        "too_large": _("The file is too large: at most %(limit)d kilobytes."),
        "too_many_lines": _("The file has more than %(limit)d lines. Split it into several files."),
        "spreadsheet": _(
            "This is a spreadsheet, not a CSV file. In your spreadsheet, choose "
            '"Save as", then the CSV format.'
        ),
        "not_text": _("This file cannot be read as text. Save it again in the CSV format."),
        "no_email": _(
            "No email address was found in this file. Put one person per line, with "
            "their email address."
        ),
    }[refused.reason] % {"limit": limit}


def prepare_batch(
    *, by: CollectiveMember, data: bytes, file_name: str = "", default_standing: str
) -> MemberInvitationBatch:
    """Reads the file and keeps its lines, waiting for the facilitator's review. A
    file that cannot be read changes nothing and says why."""
    if not perms.can_invite_from_a_file(by):
        raise PermissionDenied
    if default_standing not in MemberStanding.values:
        raise ValidationError({"default_standing": _("Choose from the list how they take part.")})
    try:
        parsed = member_csv.read(
            data,
            max_bytes=settings.ALLIANCE_INVITATION_FILE_MAX_BYTES,
            max_lines=settings.ALLIANCE_INVITATION_FILE_MAX_LINES,
            standings=standing_words(),
        )
    except FileRefused as refused:
        raise ValidationError({"file": _refused_message(refused)}) from None
    with transaction.atomic():
        batch = MemberInvitationBatch.objects.create(
            collective=by.collective,
            prepared_by=by,
            file_name=file_name[:200],
            encoding=parsed.encoding,
            separator=parsed.separator,
            default_standing=default_standing,
            lines=[[line.number, line.name, line.email, line.standing] for line in parsed.lines],
        )
        _record(
            by.user,
            Action.MEMBER_INVITATION_BATCH_PREPARED,
            by.collective,
            target=batch,
            lines=len(parsed.lines),
        )
    return batch


def _django_email_ok(email: str) -> bool:
    if not member_csv.looks_like_email(email):
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


@dataclass
class BatchReview:
    rows: list[member_csv.Reviewed]
    counts: dict[str, int]
    cap: int  # how many this batch may invite
    batch_max: int
    left_today: int

    @property
    def to_invite(self) -> int:
        return self.counts[Outcome.INVITE]

    @property
    def capped_by_the_day(self) -> bool:
        """The cap comes from the day's budget, not from the size of one batch."""
        return self.left_today < self.batch_max


def review_batch(batch: MemberInvitationBatch, *, user) -> BatchReview:
    """What each line of the batch would become if sent now (three queries: the
    members and the pending invitations among the file's addresses, the day's
    budget)."""
    lines = [member_csv.Line(*line) for line in batch.lines]
    addresses = {line.email.casefold() for line in lines if line.email}
    members = set(
        CollectiveMember.objects.filter(
            collective_id=batch.collective_id, status=CollectiveMember.Status.ACTIVE
        )
        .annotate(address=Lower("user__email"))
        .filter(address__in=addresses)
        .values_list("address", flat=True)
    )
    invited = set(
        MemberInvitation.objects.filter(
            collective_id=batch.collective_id,
            status=MemberInvitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .values_list("address", flat=True)
    )
    left_today = invitations_left_today(user)
    batch_max = settings.ALLIANCE_INVITATION_BATCH_MAX
    cap = min(batch_max, left_today)
    rows = member_csv.review(
        lines,
        members={m.casefold() for m in members},
        invited={i.casefold() for i in invited},
        cap=cap,
        standings=standing_words(),
        default_standing=batch.default_standing,
        email_ok=_django_email_ok,
    )
    return BatchReview(
        rows=rows,
        counts=member_csv.count(rows),
        cap=cap,
        batch_max=batch_max,
        left_today=left_today,
    )


def is_stale(batch: MemberInvitationBatch, now=None) -> bool:
    limit = timedelta(hours=settings.ALLIANCE_INVITATION_BATCH_HOURS)
    return batch.created_at < (now or timezone.now()) - limit


def _locked_draft(by, batch) -> MemberInvitationBatch:
    if not perms.can_send_batch(by, batch):
        raise PermissionDenied
    current = MemberInvitationBatch.objects.select_for_update().get(pk=batch.pk)
    if current.status != MemberInvitationBatch.Status.DRAFT:
        raise ValidationError(
            _("This list was already sent or discarded: nothing more is sent from it.")
        )
    return current


def _settle(batch, status, outcomes=None):
    batch.status = status
    batch.settled_at = timezone.now()
    batch.lines = []  # the invitations hold what is still needed (data minimisation)
    batch.outcomes = outcomes or {}
    batch.save(update_fields=["status", "settled_at", "lines", "outcomes"])


def send_batch(*, by: CollectiveMember, batch: MemberInvitationBatch) -> MemberInvitationBatch:
    """Makes every invitation of the lines that are still to invite, in one
    transaction: a line refused on the way (someone invited them a moment ago)
    undoes the whole batch, and the facilitator reviews it again."""
    with transaction.atomic():
        batch = _locked_draft(by, batch)
        if is_stale(batch):
            raise ValidationError(
                _("This list was read more than %(hours)d hours ago. Send the file again.")
                % {"hours": settings.ALLIANCE_INVITATION_BATCH_HOURS}
            )
        review = review_batch(batch, user=by.user)
        invitations = []
        for row in review.rows:
            if row.outcome != Outcome.INVITE:
                continue
            try:
                invitations.append(
                    _invite_member(
                        by=by,
                        display_name=row.line.name or row.line.email,
                        email=row.line.email,
                        standing=row.standing,
                    )
                )
            except ValidationError:
                raise ValidationError(
                    _(
                        "Line %(line)d changed since you read the list. Nothing was "
                        "sent: read the list again before sending it."
                    )
                    % {"line": row.line.number}
                ) from None
        _settle(batch, MemberInvitationBatch.Status.SENT, review.counts)
        _record(
            by.user,
            Action.MEMBER_INVITATION_BATCH_SENT,
            by.collective,
            target=batch,
            invitations=[invitation.pk for invitation in invitations],
            outcomes=review.counts,
        )
    return batch


def discard_batch(*, by: CollectiveMember, batch: MemberInvitationBatch) -> MemberInvitationBatch:
    """The facilitator drops the list: nothing is sent and its lines are emptied."""
    with transaction.atomic():
        batch = _locked_draft(by, batch)
        _settle(batch, MemberInvitationBatch.Status.DISCARDED)
        _record(by.user, Action.MEMBER_INVITATION_BATCH_DISCARDED, by.collective, target=batch)
    return batch
