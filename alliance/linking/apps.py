from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkingConfig(AppConfig):
    name = "alliance.linking"
    label = "linking"
    verbose_name = _("Solidarity: linking alliances that share a common interest")
