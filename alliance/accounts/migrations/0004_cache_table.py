"""The table of the database cache that holds the rate limits (ADR 0010), created
with the other tables so that `migrate` is the only step. Nothing is created when
the settings name another cache (the tests keep theirs in memory)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_sign_in_delay_and_user_sessions")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
