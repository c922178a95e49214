"""The reader's choice of easy-read pages: saved on the account (settings page) or
for this browser session only (the switch in the header, also for visitors who
are not signed in)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance.accounts import services
from alliance.accounts.models import CalendarFeed, PersonalAccessToken
from alliance.www.reading import EASY, SESSION_KEY, STANDARD, is_easy, render

from .forms import ApiTokenForm
from .views import safe_next

# The secret of an API token just made, shown on the next display of the page only.
TOKEN_SECRET = "api_token_secret"  # noqa: S105 (a session key, not a secret)


class ReadingForm(forms.Form):
    easy_read = forms.TypedChoiceField(
        label=gettext_lazy("How I read the pages"),
        choices=[
            ("1", gettext_lazy("Easy to read: short sentences, pictures, read aloud")),
            ("0", gettext_lazy("The usual pages")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


def my_settings(request):
    if request.method == "POST":
        form = ReadingForm(request.POST)
        if form.is_valid():
            services.set_easy_read(user=request.user, easy=form.cleaned_data["easy_read"])
            # The saved choice wins over what this session chose with the switch.
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Your choice is saved."))
            return redirect("accounts:settings")
    else:
        form = ReadingForm(initial={"easy_read": "1" if request.user.easy_read else "0"})
    return settings_page(request, form=form)


def settings_page(request, *, form=None, feed_url=None, token_form=None):
    """The settings page; `feed_url` only right after the calendar address is made,
    the secret of an API token only on the first display after it was made."""
    form = form or ReadingForm(initial={"easy_read": "1" if request.user.easy_read else "0"})
    context = {
        "form": form,
        "calendar_feed": CalendarFeed.objects.filter(user=request.user).first(),
        "feed_url": feed_url,
        "token_form": token_form or ApiTokenForm(),
        "api_tokens": PersonalAccessToken.objects.filter(user=request.user),
        # The easy page leaves the tokens out: the secret waits for the usual page.
        "token_secret": None if is_easy(request) else request.session.pop(TOKEN_SECRET, None),
    }
    invalid = form.errors or (token_form is not None and token_form.errors)
    return render(request, "accounts/settings.html", context, status=400 if invalid else 200)


@login_not_required
@require_POST
def switch_reading(request):
    mode = request.POST.get("mode")
    if mode in (EASY, STANDARD):
        request.session[SESSION_KEY] = mode
    return redirect(safe_next(request) or "home")
