from django.db import migrations, models
from django.utils import timezone

from alliance.acting.reviews import next_review_on


def date_past_reviews(apps, schema_editor):
    """Reviews held before this field existed are dated by the rule alone (twelve
    months after the review before, or after the first signature): a date the allies
    had planned was not kept once the review was held."""
    Review = apps.get_model("acting", "Review")
    Charter = apps.get_model("alliances", "Charter")
    last_held = {}
    for review in Review.objects.order_by("alliance_id", "held_on", "pk"):
        if review.alliance_id not in last_held:
            first = (
                Charter.objects.filter(alliance_id=review.alliance_id, signed_at__isnull=False)
                .order_by("signed_at")
                .values_list("signed_at", flat=True)
                .first()
            )
            first_signed = timezone.localdate(first) if first else None
        else:
            first_signed = None
        review.due_on = next_review_on(
            planned=None, last_review=last_held.get(review.alliance_id), first_signed=first_signed
        )
        review.save(update_fields=["due_on"])
        last_held[review.alliance_id] = review.held_on


class Migration(migrations.Migration):
    dependencies = [
        ("acting", "0004_stance_superseded_at"),
        ("alliances", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="due_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(date_past_reviews, migrations.RunPython.noop),
    ]
