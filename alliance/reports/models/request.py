"""A decision maker's request for a report, and each organisation's answer.

A decision maker never computes a report over alliances themselves: they ask the
organisations of a territory (or a list of organisations), each organisation's
administrator accepts or declines in its own words, and the report is made over
the organisations that accepted only (ADR 0037). The request keeps the scope as it
was resolved when it was made, like a report does."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the organisations")
        ANSWERED = "answered", _("Report made")
        DECLINED = "declined", _("Declined by every organisation")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_requests"
    )
    # The territory asked for ("" when the decision maker chose organisations), and
    # the words that name the scope on every page.
    territory = models.CharField(_("territory"), max_length=80, blank=True)
    scope_label = models.CharField(max_length=300)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    purpose = models.TextField(_("what the report is for"), max_length=2000)
    # After this day the decision maker may close the request with the organisations
    # that accepted, without waiting for the others.
    answer_by = models.DateField(_("answers expected by"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    report = models.OneToOneField(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Closed by the daily job once its answer day was past (not by its decision
    # maker): the page says so, with the organisations that did not answer.
    closed_on_answer_day = models.BooleanField(default=False)
    # Optimistic lock: closing on a state someone else changed is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_request_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.scope_label} {self.period_start}–{self.period_end}"


class ReportRequestAnswer(models.Model):
    """One organisation's answer to a request: it decides whether its alliances are
    counted in the report."""

    class Status(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        # The request closed past its answer day without this organisation's
        # answer: not a decline, and its alliances are not counted.
        NO_ANSWER = "no_answer", _("No answer by the day set")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="report_request_answers"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    words = models.TextField(_("a word for the decision maker"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organisation"], name="report_request_answer_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id}: {self.status}"
