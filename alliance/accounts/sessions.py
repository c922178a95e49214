"""The signed-in browsers of an account ("my sessions") and the limits of a session:
an idle timeout by kind of account and an absolute limit.

A session carries the id of its `UserSession` row and two times (signed in, last
seen), so the limits cost no query; whether the row was ended from another session
costs one small query per request, the price of a sign-out that bites at once."""

import re
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.audit.journal import record_account_event
from alliance.audit.models import Action

from .models import User, UserSession, new_session_generation

ROW = "alliance_session"
SIGNED_IN_AT = "alliance_signed_in_at"
LAST_SEEN = "alliance_last_seen"
# Last seen is written to the session and to the row at most this often.
TOUCH_SECONDS = 60

IDLE, EXPIRED, ENDED = "idle", "expired", "ended"

# (pattern, name): the first that matches names the browser or the system.
BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
SYSTEMS = [
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"CrOS", "ChromeOS"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"Linux", "Linux"),
]


def describe_device(user_agent: str) -> str:
    """A short description a person recognises ("Firefox on Android"), never the
    whole user agent."""
    browser = next((name for pattern, name in BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for pattern, name in SYSTEMS if re.search(pattern, user_agent)), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")


def idle_minutes(user) -> int:
    if user.is_professional or user.is_decision_maker:
        return settings.ALLIANCE_IDLE_MINUTES_PROFESSIONAL
    return settings.ALLIANCE_IDLE_MINUTES_INDIVIDUAL


def open_session(request, user) -> UserSession:
    """Called once the user is signed in (the session key already rotated)."""
    now = timezone.now()
    # Signing in again in the same browser replaces its row.
    close_session(request)
    row = UserSession.objects.create(
        user=user,
        last_seen_at=now,
        device=describe_device(request.headers.get("User-Agent", ""))[:80],
    )
    stamp = int(now.timestamp())
    request.session[ROW] = row.pk
    request.session[SIGNED_IN_AT] = stamp
    request.session[LAST_SEEN] = stamp
    return row


def open_session_on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        open_session(request, user)


def check_session(request) -> str | None:
    """Why the signed-in session of `request` must end (IDLE, EXPIRED, ENDED), or
    None after noting that it is in use."""
    session, user = request.session, request.user
    if session.get(ROW) is None:
        # A session opened before sessions were tracked.
        open_session(request, user)
        return None
    now = int(time.time())
    if now - session.get(SIGNED_IN_AT, 0) > settings.ALLIANCE_SESSION_MAX_HOURS * 3600:
        return EXPIRED
    last_seen = session.get(LAST_SEEN, 0)
    if now - last_seen > idle_minutes(user) * 60:
        return IDLE
    rows = UserSession.objects.filter(pk=session[ROW], user=user, ended_at__isnull=True)
    if now - last_seen < TOUCH_SECONDS:
        return None if rows.exists() else ENDED
    if not rows.update(last_seen_at=timezone.now()):
        return ENDED
    session[LAST_SEEN] = now
    return None


def close_session(request) -> None:
    """Signing out, or a session that timed out: its row ends too."""
    row = request.session.get(ROW)
    if row is not None:
        UserSession.objects.filter(pk=row, ended_at__isnull=True).update(ended_at=timezone.now())


def current_row_id(request):
    return request.session.get(ROW) if request is not None else None


def open_sessions_of(user):
    """The sessions still open: not ended, not idle too long, within the absolute
    limit (a session that timed out without coming back is never marked ended)."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        ended_at__isnull=True,
        created_at__gte=now - timedelta(hours=settings.ALLIANCE_SESSION_MAX_HOURS),
        # Last seen is written once a minute: a minute of margin.
        last_seen_at__gte=now - timedelta(minutes=idle_minutes(user) + 1),
    )


def end_session(*, user: User, session_id: int, request) -> UserSession:
    """The owner signs one of their other sessions out; it is refused at its next
    request. Ending one's current session is signing out, not this."""
    with transaction.atomic():
        row = (
            UserSession.objects.select_for_update()
            .filter(pk=session_id, user=user, ended_at__isnull=True)
            .first()
        )
        if row is None or row.pk == current_row_id(request):
            raise PermissionDenied
        row.ended_at = timezone.now()
        row.save(update_fields=["ended_at"])
        record_account_event(
            user, Action.SESSION_ENDED, account=user, detail={"device": row.device}
        )
    return row


def end_sessions(*, user, keep_request=None) -> None:
    """Ends every session of `user` at its next request; the session of
    `keep_request` (the user's own, when they ask) stays open. The caller writes
    the audit entry that says why."""
    from django.contrib.auth import update_session_auth_hash

    user.session_generation = new_session_generation()
    user.save(update_fields=["session_generation"])
    UserSession.objects.filter(user=user, ended_at__isnull=True).exclude(
        pk=current_row_id(keep_request)
    ).update(ended_at=timezone.now())
    if keep_request is not None:
        update_session_auth_hash(keep_request, user)


def end_other_sessions(*, user: User, request) -> int:
    """Signs the account out everywhere but here."""
    with transaction.atomic():
        ended = open_sessions_of(user).exclude(pk=current_row_id(request)).count()
        end_sessions(user=user, keep_request=request)
        record_account_event(user, Action.OTHER_SESSIONS_ENDED, account=user)
    return ended
