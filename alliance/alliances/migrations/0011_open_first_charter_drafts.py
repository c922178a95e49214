"""Every alliance has its charter's first draft from its creation (create_alliance
opens it), so that the charter page only reads. Alliances created before this
migration whose charter page was never opened get theirs here."""

from django.db import migrations


def open_drafts(apps, schema_editor):
    Alliance = apps.get_model("alliances", "Alliance")
    Charter = apps.get_model("alliances", "Charter")
    without = Alliance.objects.filter(charters__isnull=True).values_list("pk", flat=True)
    Charter.objects.bulk_create(
        (Charter(alliance_id=pk, number=1) for pk in without.iterator()), batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [("alliances", "0010_access_reissue")]

    operations = [migrations.RunPython(open_drafts, migrations.RunPython.noop)]
