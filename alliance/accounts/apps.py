from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "alliance.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import open_session_on_login

        # Every sign-in, whatever its way in (ours, or a library's that calls
        # `login`), gets its row on "my sessions" and its time limits.
        user_logged_in.connect(open_session_on_login, dispatch_uid="alliance_open_session")
