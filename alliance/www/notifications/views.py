"""The user's own notifications and how they want to hear about them. Nothing
here belongs to an alliance: each user only ever reaches their own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.conflicts import ConflictError
from alliance.notifications import outbox, services
from alliance.notifications.models import OutgoingMessage
from alliance.www.reading import is_easy, is_informal, render
from alliance.www.utils import id_from, run_use_case

from .easy import easy_news
from .forms import PreferencesForm

# In easy-read, the newest are shown first and the others are one tap away.
EASY_FIRST = 5


def notifications(request):
    found = list(services.latest(request.user))
    context = {"notifications": found, "size": services.LIST_SIZE}
    if is_easy(request):
        tu = is_informal(request)
        for notification in found:
            notification.easy = easy_news(notification, tu=tu)
        context.update(first=found[:EASY_FIRST], later=found[EASY_FIRST:])
    return render(request, "notifications/list.html", context)


@require_POST
def read(request):
    """Marks one notification read (and follows it when asked), or all of them."""
    if request.POST.get("all"):
        services.mark_all_read(user=request.user)
        messages.success(request, _("Everything is marked as read."))
        return redirect("notifications:list")
    notification = services.mark_read(
        user=request.user, notification_id=id_from(request.POST, "notification")
    )
    if notification is None:
        messages.error(request, _("This notification is not among yours."))
        return redirect("notifications:list")
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


def preferences(request):
    current = services.settings_of(request.user)
    initial = {
        "version": current.version,
        "language": current.language,
        "details_in_email": current.details_in_email,
        **{f"group_{g}": d for g, d in services.preferences_of(request.user).items()},
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = run_use_case(
                    form,
                    services.set_preferences,
                    user=request.user,
                    deliveries=form.deliveries(),
                    language=form.cleaned_data["language"],
                    details_in_email=form.cleaned_data["details_in_email"],
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as conflict:
                form.add_error(None, str(conflict))
                saved, status = None, 409
            if saved is not None:
                messages.success(request, _("Your choices are saved."))
                return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


def failed_deliveries(request):
    """Operators (staff) see the emails and text messages that failed for good, by
    kind and error only, and send one again; the same as `alliance failed_deliveries`."""
    if not outbox.may_operate(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            outbox.retry(id_from(request.POST, "message"))
        except OutgoingMessage.DoesNotExist:
            messages.error(request, _("This message is not among the failed ones."))
        else:
            messages.success(request, _("The message is sent again."))
        return redirect("notifications:failed_deliveries")
    return render(
        request,
        "notifications/failed_deliveries.html",
        {"failed": outbox.failed()[: services.LIST_SIZE], "size": services.LIST_SIZE},
    )
