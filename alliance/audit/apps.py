from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_after_migrate(sender, using, **kwargs):
    """After every `migrate` on PostgreSQL, the application role (when there is one:
    ALLIANCE_PG_APP_ROLE) gets its rights on the tables the migration created."""
    from django.db import connections

    from .roles import grant_app_role, role_exists

    role = settings.ALLIANCE_PG_APP_ROLE
    connection = connections[using]
    if role and connection.vendor == "postgresql" and role_exists(connection, role):
        grant_app_role(role, using=using)


class AuditConfig(AppConfig):
    name = "alliance.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        post_migrate.connect(grant_after_migrate, sender=self)
