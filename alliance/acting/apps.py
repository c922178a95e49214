from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActingConfig(AppConfig):
    name = "alliance.acting"
    label = "acting"
    verbose_name = _("Acting together")
