"""The archive of a person's data (GDPR arts. 15 and 20, ADR 0032): a ZIP holding
`donnees.json`, everything the register (registry.py) finds about them, and
`donnees.pdf`, a readable summary. Made by the task worker, never in a request.

Other people appear by their display name only, as on the pages: an account or an
ally a row points to is named, never described; no email but the subject's own, no
secret (hashes, keys, session tokens), no file's bytes (their size only: each file
is downloaded from its own page)."""

import datetime
import hashlib
import io
import json
import logging
import zipfile

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation

from alliance.accounts.models import User
from alliance.acting.models import IndicatorReading
from alliance.alliances.models import Alliance, Ally, Role, Signature, Statement, Vote
from alliance.audit.models import AuditEntry
from alliance.documents import rendering
from alliance.interop.fhir.export import alliance_bundle, bundle_bytes
from alliance.notifications.models import NotificationSettings
from alliance.notifications.services import notify

from .models import DataArchive, DataArchiveFile
from .registry import PERSONAL_DATA, Holder

log = logging.getLogger("alliance.privacy")

FORMAT = "alliance-archive/1"
# Columns never written into an archive: secrets that would let someone in, and
# bookkeeping of the sign-in that says nothing about the person.
SECRET_FIELDS = {
    "password",
    "session_generation",
    "key",
    "token",
    "secret_hash",
    "code_hash",
    "token_hash",
    "prefix",
    "public_key",
    "credential_id",
    "credential_id_sha256",
    "handle_hex",
    "client_data_json",
}
TRAIL_LIMIT = 2000


def _shown(field) -> bool:
    if field.name in SECRET_FIELDS or field.name.endswith("_hash"):
        return False
    return not isinstance(field, models.BinaryField)


class _Names:
    """Display names of the accounts and allies rows point to, fetched in bulk."""

    def __init__(self):
        self.users: dict[int, str] = {}
        self.allies: dict[int, str] = {}

    def fetch(self, users=(), allies=()):
        missing = set(users) - self.users.keys()
        if missing:
            self.users.update(User.objects.filter(pk__in=missing).values_list("pk", "display_name"))
        missing = set(allies) - self.allies.keys()
        if missing:
            self.allies.update(
                Ally.objects.filter(pk__in=missing).values_list("pk", "user__display_name")
            )


def _rows(holder: Holder, queryset, subject, names: _Names) -> list[dict]:
    fields = [f for f in holder.model._meta.concrete_fields if _shown(f)]
    binary = [f for f in holder.model._meta.concrete_fields if isinstance(f, models.BinaryField)]
    is_account = holder.label == "accounts.User"
    pk = holder.model._meta.pk.attname
    rows = list(queryset.order_by("pk").values(pk, *[f.attname for f in fields if f.attname != pk]))
    user_fks = [f for f in fields if f.is_relation and f.related_model is User]
    ally_fks = [f for f in fields if f.is_relation and f.related_model is Ally]
    names.fetch(
        users={row[f.attname] for row in rows for f in user_fks if row[f.attname]},
        allies={row[f.attname] for row in rows for f in ally_fks if row[f.attname]},
    )
    sizes = {}
    for field in binary:
        sizes[field.name] = dict(
            queryset.annotate(_size=models.functions.Length(field.name)).values_list("pk", "_size")
        )
    result = []
    for row in rows:
        item = {}
        for field in fields:
            value = row[field.attname]
            if field.name == "email" and not is_account:
                continue  # someone else's address, written when they were invited
            if field in user_fks:
                value = names.users.get(value) if value else None
            elif field in ally_fks:
                value = names.allies.get(value) if value else None
            item[field.name] = value
        for name, by_pk in sizes.items():
            item[f"{name}_bytes"] = by_pk.get(row[pk]) or 0
        result.append(item)
    return result


def _trail(subject, alliance_ids) -> list[dict]:
    """Who did and read what in the alliances where the subject is the person."""
    theirs = Ally.objects.filter(user=subject, role=Role.PERSON).values_list(
        "alliance_id", flat=True
    )
    if alliance_ids is not None:
        theirs = theirs.filter(alliance_id__in=alliance_ids)
    entries = AuditEntry.objects.filter(alliance_id__in=list(theirs)).order_by("-at", "-pk")
    return [
        {"at": e.at, "alliance": e.alliance_id, "who": e.actor_label, "what": str(e.what)}
        for e in entries[:TRAIL_LIMIT]
    ]


def collect(subject, alliance_ids=None) -> dict:
    """Everything the register finds about `subject`; with `alliance_ids` (a
    representative's archive), only what concerns these alliances."""
    names = _Names()
    data = {}
    for holder in PERSONAL_DATA:
        rows = _rows(holder, holder.rows_about(subject, alliance_ids), subject, names)
        data[holder.kind] = {"title": str(holder.title), "rows": rows}
    return {
        "format": FORMAT,
        "made_at": timezone.now(),
        "subject": subject.display_name,
        "scope": "all" if alliance_ids is None else {"alliances": list(alliance_ids)},
        "data": data,
        "trail": _trail(subject, alliance_ids),
    }


def _summary(subject, alliance_ids) -> dict:
    """What the PDF shows, alliance by alliance."""
    allies = Ally.objects.filter(user=subject).select_related("alliance").order_by("alliance_id")
    if alliance_ids is not None:
        allies = allies.filter(alliance_id__in=alliance_ids)
    alliances = []
    for ally in allies:
        alliance = ally.alliance
        mine = Ally.objects.filter(user=subject, alliance=alliance)
        alliances.append(
            {
                "alliance": alliance,
                "ally": ally,
                "statements": Statement.objects.filter(alliance=alliance, author__in=mine).order_by(
                    "created_at", "pk"
                ),
                "signatures": Signature.objects.filter(
                    charter__alliance=alliance, ally__in=mine
                ).select_related("charter"),
                "votes": Vote.objects.filter(ally__in=mine).select_related("statement"),
                "readings": IndicatorReading.objects.filter(ally__in=mine).select_related(
                    "indicator"
                ),
            }
        )
    return {"alliances": alliances}


def _pdf(subject, requested_by, content: dict, alliance_ids) -> bytes:
    context = {
        "subject": subject,
        "requested_by": requested_by,
        "for_representative": alliance_ids is not None,
        "made_at": content["made_at"],
        "counts": [
            (part["title"], len(part["rows"])) for part in content["data"].values() if part["rows"]
        ],
        "trail": content["trail"][:200],
        **_summary(subject, alliance_ids),
    }
    return rendering.render("privacy/pdf/archive.html", context).pdf


def build(archive: DataArchive) -> bytes:
    """The ZIP of an archive, in the language of whoever asked for it."""
    subject, requested_by = archive.subject, archive.requested_by
    alliance_ids = archive.alliance_ids if archive.for_representative else None
    language = (
        NotificationSettings.objects.filter(user=requested_by)
        .values_list("language", flat=True)
        .first()
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        content = collect(subject, alliance_ids)
        pdf = _pdf(subject, requested_by, content, alliance_ids)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive_zip:
        archive_zip.writestr(
            "donnees.json",
            json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        archive_zip.writestr("donnees.pdf", pdf)
        for alliance in _alliances_of_the_person(subject, alliance_ids):
            archive_zip.writestr(
                f"fhir/alliance-{alliance.pk}.json", bundle_bytes(alliance_bundle(alliance))
            )
    return buffer.getvalue()


def _alliances_of_the_person(subject, alliance_ids):
    """The alliances about the subject's own life, as FHIR bundles (art. 20: in a
    format another service reads, the one a DUI takes, docs/interop-fhir.md). Only
    where the subject is the person: another person's alliance is theirs to take."""
    alliances = Alliance.objects.filter(allies__user=subject, allies__role=Role.PERSON).order_by(
        "pk"
    )
    if alliance_ids is not None:
        alliances = alliances.filter(pk__in=list(alliance_ids))
    return alliances


def make_archive(archive_id: int) -> str:
    """The task's work: builds, stores, tells who asked. A failure is kept as such,
    so that the page says so and a new request may be made."""
    archive = DataArchive.objects.select_related("subject", "requested_by").get(pk=archive_id)
    if archive.status != DataArchive.Status.PENDING:
        return archive.status
    try:
        data = build(archive)
    except Exception:
        log.exception("archive failed", extra={"archive": archive.pk})
        DataArchive.objects.filter(pk=archive.pk).update(status=DataArchive.Status.FAILED)
        return DataArchive.Status.FAILED
    now = timezone.now()
    with transaction.atomic():
        DataArchiveFile.objects.create(archive=archive, data=data)
        archive.status = DataArchive.Status.READY
        archive.ready_at = now
        archive.expires_at = now + datetime.timedelta(days=settings.ALLIANCE_DATA_ARCHIVE_DAYS)
        archive.sha256 = hashlib.sha256(data).hexdigest()
        archive.size = len(data)
        archive.save(update_fields=["status", "ready_at", "expires_at", "sha256", "size"])
        notify(
            [archive.requested_by],
            "data_archive_ready",
            url=reverse("privacy:mine"),
            key=f"data_archive:{archive.pk}",
            due=timezone.localdate(archive.expires_at).isoformat(),
        )
    return archive.status
