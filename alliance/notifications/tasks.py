"""Background work of notifications, run by the task worker."""

from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def send_notification_email(notification_id: int):
    from . import emails
    from .services import settings_of

    notification = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .select_related("user")
        .first()
    )
    if notification is None or not notification.user.email:
        return
    emails.send_one(notification, settings_of(notification.user))
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
