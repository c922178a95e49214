from django.db import migrations, models


def persons_read_easily(apps, schema_editor):
    """Easy-read is on by default for the persons of the alliances that exist already."""
    User = apps.get_model("accounts", "User")
    Ally = apps.get_model("alliances", "Ally")
    persons = Ally.objects.filter(role="person").values("user_id")
    User.objects.filter(pk__in=persons, easy_read__isnull=True).update(easy_read=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_activation_letters_devices"),
        ("alliances", "0011_open_first_charter_drafts"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="easy_read",
            field=models.BooleanField(blank=True, null=True, verbose_name="easy-read pages"),
        ),
        migrations.AddField(
            model_name="user",
            name="born_on",
            field=models.DateField(blank=True, null=True, verbose_name="date of birth"),
        ),
        migrations.RunPython(persons_read_easily, migrations.RunPython.noop),
    ]
