from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpkeepConfig(AppConfig):
    """Running the product: logs, error reports, metrics, retention, archives of the
    audit trail and the database router. No model of its own."""

    name = "alliance.upkeep"
    verbose_name = _("Upkeep")
